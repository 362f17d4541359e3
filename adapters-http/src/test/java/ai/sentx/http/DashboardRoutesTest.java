package ai.sentx.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sentx.application.AuthenticateSession;
import ai.sentx.domain.AccountId;
import ai.sentx.domain.FailureException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's guards on a deployment configured for Cognito: {@code Secure} cookie, CORS with
 * credentials for the one allowed dashboard origin, the provider in the page's CSP and config.
 */
class DashboardRoutesTest {
    private static final String TOKEN = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl";
    private static final String DASHBOARD = "https://dashboard.sentx.example";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final DashboardRoutes routes = new DashboardRoutes(
            new AuthenticateSession(t -> TOKEN.equals(t) ? Optional.of(new AccountId("acct_x")) : Optional.empty()),
            DashboardSettings.cognito(URI.create("https://sentx.auth.eu-west-1.amazoncognito.com"), "client123",
                    Set.of(DASHBOARD)), JSON);

    private static HttpRequest request(String method, String path, String body, String... headers) {
        Map<String, List<String>> map = new HashMap<>();
        map.put("host", List.of("abc.lambda-url.eu-west-1.on.aws"));
        for (int i = 0; i < headers.length; i += 2) map.put(headers[i], List.of(headers[i + 1]));
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        return new HttpRequest(method, path, null, map, new ByteArrayInputStream(bytes), bytes.length);
    }

    @Test
    void signIn_onADeployment_setsASecureHttpOnlyLaxCookie() throws IOException {
        Sink sink = new Sink();
        HttpRequest req = request("POST", "/account/session", "{\"token\":\"" + TOKEN + "\"}", "origin", DASHBOARD);
        routes.session(req, limit -> req.body().readAllBytes(), Responses.headers(), sink);
        assertEquals(200, sink.status);
        String cookie = sink.headers.get("set-cookie").getFirst();
        assertTrue(cookie.startsWith("sentx_session=" + TOKEN + "; Path=/account;"), cookie);
        assertTrue(cookie.endsWith("; HttpOnly; SameSite=Lax; Secure"), cookie);
        assertEquals(DashboardRoutes.csrfToken(TOKEN), sink.json().get("csrf_token").asText());
    }

    @Test
    void csrfToken_isBoundToTheSession_andRequiredForCookieWrites() {
        String csrf = DashboardRoutes.csrfToken(TOKEN);
        assertTrue(!csrf.equals(DashboardRoutes.csrfToken(TOKEN + "x")) && csrf.length() >= 43);
        String cookie = "other=1; sentx_session=" + TOKEN;
        assertEquals(TOKEN, routes.credential(request("GET", "/account/keys", null, "cookie", cookie)));
        assertEquals(TOKEN, routes.credential(request("POST", "/account/keys", null, "cookie", cookie,
                "origin", DASHBOARD, "x-csrf-token", csrf)));
        assertEquals("csrf_token_invalid", assertThrows(DashboardRoutes.Forbidden.class, () -> routes.credential(
                request("POST", "/account/keys", null, "cookie", cookie, "origin", DASHBOARD))).code());
        assertEquals("origin_not_allowed", assertThrows(DashboardRoutes.Forbidden.class, () -> routes.credential(
                request("DELETE", "/account/keys/k", null, "cookie", cookie, "origin", "https://evil.example",
                        "x-csrf-token", csrf))).code());
        assertEquals("origin_not_allowed", assertThrows(DashboardRoutes.Forbidden.class, () -> routes.credential(
                request("POST", "/account/keys", null, "cookie", cookie, "sec-fetch-site", "cross-site",
                        "x-csrf-token", csrf))).code());
        assertEquals("bearer-wins", routes.credential(request("POST", "/account/keys", null, "cookie", cookie,
                "authorization", "Bearer bearer-wins")), "a bearer request carries no ambient credential");
    }

    @Test
    void cors_grantsCredentialsOnlyToTheDashboardOrigin() throws IOException {
        Map<String, List<String>> headers = Responses.headers();
        Sink sink = new Sink();
        routes.preflight(request("OPTIONS", "/account/keys", null, "origin", DASHBOARD), headers, sink);
        assertEquals(204, sink.status);
        assertEquals(DASHBOARD, headers.get("access-control-allow-origin").getFirst());
        assertEquals("true", headers.get("access-control-allow-credentials").getFirst());
        assertTrue(headers.get("access-control-allow-headers").getFirst().contains("x-csrf-token"));

        Map<String, List<String>> other = Responses.headers();
        routes.cors(request("GET", "/account/keys", null, "origin", "https://evil.example"), other);
        assertNull(other.get("access-control-allow-origin"));
        assertThrows(DashboardRoutes.Forbidden.class, () -> routes.preflight(
                request("OPTIONS", "/account/keys", null, "origin", "https://evil.example"), Responses.headers(), new Sink()));
    }

    @Test
    void pages_letTheScriptReachOnlyThisOriginAndTheTokenEndpoint() throws IOException {
        Map<String, List<String>> headers = Responses.headers();
        Sink sink = new Sink();
        routes.page(request("GET", "/dashboard/config.json", null), headers, sink);
        JsonNode signIn = sink.json().get("sign_in");
        assertEquals("oidc", signIn.get("type").asText());
        assertEquals("https://sentx.auth.eu-west-1.amazoncognito.com/oauth2/authorize", signIn.get("authorize_url").asText());
        assertEquals("https://sentx.auth.eu-west-1.amazoncognito.com/oauth2/token", signIn.get("token_url").asText());
        assertEquals("client123", signIn.get("client_id").asText());
        String csp = headers.get("content-security-policy").getFirst();
        assertTrue(csp.contains("connect-src 'self' https://sentx.auth.eu-west-1.amazoncognito.com;"), csp);
        assertTrue(csp.contains("script-src 'self';"), csp);
    }

    @Test
    void signIn_refusesATokenThatCannotBeACookie_andAnInvalidOne() {
        DashboardRoutes anyToken = new DashboardRoutes(new AuthenticateSession(t -> Optional.of(new AccountId("a"))),
                DashboardSettings.local(), JSON);
        HttpRequest injected = request("POST", "/account/session", "{\"token\":\"abcdefghijklmnop; Domain=evil\"}");
        FailureException e = assertThrows(FailureException.class, () -> anyToken.session(injected,
                limit -> injected.body().readAllBytes(), Responses.headers(), new Sink()));
        assertEquals("token", e.failure().param());
        HttpRequest invalid = request("POST", "/account/session", "{\"token\":\"not-a-session-token\"}");
        assertThrows(FailureException.class, () -> routes.session(invalid, limit -> invalid.body().readAllBytes(),
                Responses.headers(), new Sink()));
    }

    @Test
    void settings_refuseWhatIsNotAnOrigin() {
        assertThrows(IllegalArgumentException.class, () -> new DashboardSettings(
                new DashboardSettings.SignIn.SessionToken(), true, Set.of("https://x.example/path")));
        assertThrows(IllegalArgumentException.class, () -> new DashboardSettings(
                new DashboardSettings.SignIn.SessionToken(), true, Set.of("*")));
    }

    /** Captures one response. */
    private static final class Sink implements ResponseSink {
        int status;
        Map<String, List<String>> headers;
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        boolean started;

        @Override
        public void start(int status, Map<String, List<String>> headers, long contentLength) {
            this.status = status;
            this.headers = headers;
            started = true;
        }

        @Override
        public void write(byte[] bytes) {
            body.writeBytes(bytes);
        }

        @Override
        public void close() {
        }

        @Override
        public boolean started() {
            return started;
        }

        JsonNode json() throws IOException {
            return JSON.readTree(body.toByteArray());
        }
    }
}
