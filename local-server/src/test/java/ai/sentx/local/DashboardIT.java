package ai.sentx.local;

import static ai.sentx.local.Api.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sentx.local.Api.Response;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The dashboard on the local server over real HTTP: its pages and their Content-Security-Policy,
 * sign-in with the session token into an HttpOnly cookie, CSRF and origin checks on every
 * state-changing use of that cookie, CORS refused to other origins, and the banner's URL.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DashboardIT {
    private static final String EVIL = "http://evil.example";
    private static final Pattern SCRIPT = Pattern.compile("<script\\b([^>]*)>", Pattern.CASE_INSENSITIVE);
    private static final Pattern ASSET = Pattern.compile("(?:src|href)=\"(/dashboard/assets/[^\"]+)\"");
    private static final Pattern IMPORT = Pattern.compile("import\\s*(?:[^'\"]*from\\s*)?\\(?\\s*'\\./([a-z0-9-]+\\.js)'");
    private static LocalServer server;
    private static Api api;
    private static String sameOrigin;

    @BeforeAll
    static void start() {
        server = TestServers.start("SENTX_KEY_CREATIONS_PER_HOUR", "100");
        api = new Api(server);
        sameOrigin = server.origin();
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    /** Signs in through the dashboard's route; returns {cookie header value, csrf token}. */
    private static String[] signIn() {
        Response r = api.send("POST", "/account/session", null, "{\"token\":\"" + server.demoSessionToken() + "\"}",
                "Origin", sameOrigin);
        assertEquals(200, r.status(), r::toString);
        String setCookie = r.header("set-cookie");
        return new String[] {setCookie.substring(0, setCookie.indexOf(';')), r.json().get("csrf_token").asText()};
    }

    private static int activeKeys() {
        return api.account("GET", "/account/keys", null).json().get("data").size();
    }

    @Test
    void pages_areServedFromTheApiOrigin_withACspThatForbidsInlineScripts() {
        for (String page : List.of("/dashboard/", "/dashboard/api", "/dashboard/usage", "/dashboard/billing",
                "/dashboard/billing/return", "/dashboard/quickstart", "/dashboard/sign-in", "/dashboard/callback")) {
            Response r = api.get(page, null);
            assertEquals(200, r.status(), page);
            assertTrue(r.header("content-type").startsWith("text/html"), page);
            String csp = r.header("content-security-policy");
            assertNotNull(csp, page);
            assertTrue(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"),
                    csp);
            assertTrue(csp.contains("frame-ancestors 'none'"), csp);
            assertEquals("nosniff", r.header("x-content-type-options"));
            Matcher scripts = SCRIPT.matcher(r.body());
            int count = 0;
            while (scripts.find()) {
                count++;
                assertTrue(scripts.group(1).contains("src=\"/dashboard/assets/"), "no inline script: " + scripts.group());
            }
            assertEquals(1, count, "one module script");
        }
    }

    @Test
    void everyReferencedAssetAndModule_isServedWithItsType() {
        String html = api.get("/dashboard/api", null).body();
        java.util.ArrayDeque<String> todo = new java.util.ArrayDeque<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        Matcher m = ASSET.matcher(html);
        while (m.find()) todo.add(m.group(1));
        while (!todo.isEmpty()) {
            String path = todo.pop();
            if (!seen.add(path)) continue;
            Response r = api.get(path, null);
            assertEquals(200, r.status(), path);
            String type = r.header("content-type");
            assertTrue(path.endsWith(".js") ? type.startsWith("text/javascript") : type.startsWith("text/css"), path + " " + type);
            Matcher imports = IMPORT.matcher(r.body());
            while (imports.find()) todo.add("/dashboard/assets/" + imports.group(1));
        }
        assertTrue(seen.containsAll(List.of("/dashboard/assets/app.js", "/dashboard/assets/api.js",
                "/dashboard/assets/app.css", "/dashboard/assets/page-api.js", "/dashboard/assets/page-usage.js",
                "/dashboard/assets/page-billing.js", "/dashboard/assets/page-quickstart.js",
                "/dashboard/assets/sign-in.js")), seen::toString);
        Response first = api.get("/dashboard/assets/app.js", null);
        Response again = api.get("/dashboard/assets/app.js", null, "If-None-Match", first.header("etag"));
        assertEquals(304, again.status(), "unchanged assets are revalidated, not resent");
    }

    @Test
    void unknownPagesAndAssets_areNotFound_andNothingOutsideTheFolderIsServed() {
        for (String path : List.of("/dashboard/nope", "/dashboard/assets/missing.js", "/dashboard/assets/index.html",
                "/dashboard/assets/..%2F..%2Fai%2Fsentx%2Fhttp%2FHttpApi.class", "/dashboard/assets/App.JS")) {
            assertError(api.get(path, null), 404, "not_found", null);
        }
        Response redirect = api.get("/dashboard", null);
        assertEquals(308, redirect.status());
        assertEquals("/dashboard/", redirect.header("location"));
    }

    @Test
    void config_namesTheSessionTokenSignIn_onTheLocalServer() {
        JsonNode config = api.get("/dashboard/config.json", null).json();
        assertEquals("session_token", config.get("sign_in").get("type").asText());
    }

    @Test
    void signIn_keepsTheSessionInAnHttpOnlySameSiteLaxCookie_notSecureOnPlainHttp() {
        Response r = api.send("POST", "/account/session", null, "{\"token\":\"" + server.demoSessionToken() + "\"}",
                "Origin", sameOrigin);
        assertEquals(200, r.status(), r::toString);
        String cookie = r.header("set-cookie");
        assertTrue(cookie.startsWith("sentx_session=" + server.demoSessionToken() + ";"), cookie);
        assertTrue(cookie.contains("; HttpOnly"), cookie);
        assertTrue(cookie.contains("; SameSite=Lax"), cookie);
        assertTrue(cookie.contains("; Path=/account"), cookie);
        assertFalse(cookie.contains("Secure"), "plain HTTP on loopback: " + cookie);
        assertEquals("no-store", r.header("cache-control"));
        assertFalse(r.body().contains(server.demoSessionToken()), "the token is not echoed to the page");
        assertEquals(LocalServer.DEMO_ACCOUNT.value(), r.json().get("account_id").asText());
    }

    @Test
    void signIn_refusesAWrongToken_anApiKey_andAnotherSite() {
        Response wrong = api.send("POST", "/account/session", null, "{\"token\":\"sess_not-the-right-token-000000\"}");
        assertError(wrong, 401, "invalid_session", null);
        assertNull(wrong.header("set-cookie"));
        Response key = api.send("POST", "/account/session", null, "{\"token\":\"" + server.demoApiKey() + "\"}");
        assertError(key, 401, "invalid_session", null);
        Response crossSite = api.send("POST", "/account/session", null,
                "{\"token\":\"" + server.demoSessionToken() + "\"}", "Origin", EVIL);
        assertError(crossSite, 403, "origin_not_allowed", null);
        assertNull(crossSite.header("set-cookie"), "no login from another site");
    }

    @Test
    void cookie_authenticatesReads_butEveryWriteNeedsTheCsrfTokenFromTheSameOrigin() {
        String[] s = signIn();
        String cookie = s[0];
        String csrf = s[1];
        assertEquals(200, api.send("GET", "/account/keys", null, null, "Cookie", cookie).status());
        assertEquals(csrf, api.send("GET", "/account/session", null, null, "Cookie", cookie).json()
                .get("csrf_token").asText());
        int before = activeKeys();

        assertError(api.send("POST", "/account/keys", null, "{\"name\":\"no csrf\"}", "Cookie", cookie,
                "Origin", sameOrigin), 403, "csrf_token_invalid", null);
        assertError(api.send("POST", "/account/keys", null, "{\"name\":\"forged\"}", "Cookie", cookie,
                "Origin", sameOrigin, "X-CSRF-Token", csrf.substring(1) + "A"), 403, "csrf_token_invalid", null);
        assertError(api.send("POST", "/account/keys", null, "{\"name\":\"cross site\"}", "Cookie", cookie,
                "Origin", EVIL, "X-CSRF-Token", csrf), 403, "origin_not_allowed", null);
        assertError(api.send("POST", "/account/topups", null, "{\"amount_cents\":500}", "Cookie", cookie,
                "Origin", sameOrigin), 403, "csrf_token_invalid", null);
        assertEquals(before, activeKeys(), "no refused request created a key");

        Response created = api.send("POST", "/account/keys", null, "{\"name\":\"from the dashboard\"}", "Cookie", cookie,
                "Origin", sameOrigin, "X-CSRF-Token", csrf);
        assertEquals(201, created.status(), created::toString);
        String id = created.json().get("id").asText();
        assertError(api.send("DELETE", "/account/keys/" + id, null, null, "Cookie", cookie), 403,
                "csrf_token_invalid", null);
        assertEquals(200, api.send("DELETE", "/account/keys/" + id, null, null, "Cookie", cookie,
                "Origin", sameOrigin, "X-CSRF-Token", csrf).status());
        assertEquals(before, activeKeys());
    }

    @Test
    void bearerSessions_keepWorkingWithoutCsrf_andAnApiKeyIsNeverASession() {
        Response r = api.account("POST", "/account/keys", "{\"name\":\"script\"}");
        assertEquals(201, r.status(), r::toString);
        assertEquals(200, api.account("DELETE", "/account/keys/" + r.json().get("id").asText(), null).status());
        assertError(api.send("GET", "/account/keys", null, null, "Cookie", "sentx_session=" + server.demoApiKey()),
                401, "invalid_session", null);
    }

    @Test
    void theSessionCookie_isNotAnApiCredential() {
        String[] s = signIn();
        Response r = api.send("POST", "/v1/chat/completions", null, Api.write(Api.chatBody("hi")), "Cookie", s[0]);
        assertError(r, 401, "invalid_api_key", null);
    }

    @Test
    void cors_isNotGrantedToOtherOrigins() {
        Response preflight = api.send("OPTIONS", "/account/keys", null, null, "Origin", EVIL,
                "Access-Control-Request-Method", "POST");
        assertError(preflight, 403, "origin_not_allowed", null);
        assertNull(preflight.header("access-control-allow-origin"));
        Response read = api.send("GET", "/account/keys", server.demoSessionToken(), null, "Origin", EVIL);
        assertNull(read.header("access-control-allow-origin"), "the browser keeps the answer from the other site");
    }

    @Test
    void signOut_clearsTheCookie() {
        Response r = api.send("DELETE", "/account/session", null, null, "Origin", sameOrigin);
        assertEquals(200, r.status(), r::toString);
        String cookie = r.header("set-cookie");
        assertTrue(cookie.startsWith("sentx_session=;") && cookie.contains("Max-Age=0"), cookie);
    }

    @Test
    void banner_printsTheDashboardUrl() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Main.banner(new PrintStream(out, true, StandardCharsets.UTF_8), server,
                LocalConfig.from(java.util.Map.of()), 123);
        String banner = out.toString(StandardCharsets.UTF_8);
        assertTrue(banner.contains("Dashboard        " + server.origin() + "/dashboard/"), banner);
        assertEquals(200, api.get(URI.create(server.origin() + "/dashboard/").getPath(), null).status());
    }
}
