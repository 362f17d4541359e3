package ai.sentx.http;

import ai.sentx.application.AuthenticateSession;
import ai.sentx.domain.AccountId;
import ai.sentx.domain.Failure;
import ai.sentx.domain.Problem;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The dashboard: its pages and assets from the class path under {@code /dashboard/}, its sign-in
 * ({@code /account/session}), and the guards of the session cookie that the pages use instead of
 * a bearer token.
 *
 * <p>The cookie holds the session token itself ({@code HttpOnly}, {@code SameSite=Lax},
 * {@code Path=/account}, {@code Secure} when configured), so every instance of the API can check it
 * without shared state. A request authenticated by the cookie that changes anything must carry
 * {@code X-CSRF-Token}: a digest of the session token that only a page which read
 * {@code /account/session} (same origin, or an allowed one through CORS) can know; and its
 * {@code Origin}, when sent, must be the API's own or an allowed one. A request with
 * {@code Authorization: Bearer} ignores the cookie and needs neither.
 */
final class DashboardRoutes {
    static final String PREFIX = "/dashboard";
    static final String SESSION = "/account/session";
    static final String COOKIE = "sentx_session";
    static final String CSRF_HEADER = "x-csrf-token";
    /** The pages the one HTML document renders; the script picks the view from the path. */
    private static final Set<String> PAGES = Set.of("/dashboard/", "/dashboard/api", "/dashboard/usage",
            "/dashboard/billing", "/dashboard/billing/return", "/dashboard/quickstart", "/dashboard/sign-in",
            "/dashboard/callback");
    private static final String ASSETS = "/dashboard/assets/";
    private static final Pattern ASSET_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}\\.(js|css|svg)");
    /** Session tokens are base64url or JWTs; nothing else may reach a Set-Cookie header. */
    private static final Pattern COOKIE_SAFE = Pattern.compile("[A-Za-z0-9._~-]{16,16384}");
    private static final int COOKIE_MAX_AGE_SECONDS = 12 * 3600;

    private final AuthenticateSession sessions;
    private final DashboardSettings settings;
    private final ObjectMapper json;
    private final String csp;
    private final Map<String, Asset> assets = new ConcurrentHashMap<>();

    DashboardRoutes(AuthenticateSession sessions, DashboardSettings settings, ObjectMapper json) {
        this.sessions = sessions;
        this.settings = settings;
        this.json = json;
        String connect = settings.signIn() instanceof DashboardSettings.SignIn.Oidc oidc
                ? "'self' " + oidc.tokenOrigin() : "'self'";
        this.csp = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src "
                + connect + "; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
    }

    /** Whether {@code path} is a page, an asset or the configuration of the dashboard. */
    static boolean isDashboard(String path) {
        return path.equals(PREFIX) || path.startsWith(PREFIX + "/");
    }

    /** Serves a page, an asset or {@code config.json}; 404 for anything else under {@code /dashboard}. */
    void page(HttpRequest req, Map<String, List<String>> headers, ResponseSink sink) throws IOException {
        String path = req.path();
        securityHeaders(headers);
        if (path.equals(PREFIX)) {
            Responses.put(headers, "location", PREFIX + "/");
            Responses.send(sink, 308, headers, "text/plain; charset=utf-8", Responses.utf8("See /dashboard/\n"));
            return;
        }
        if (path.equals(PREFIX + "/config.json")) {
            Responses.put(headers, "cache-control", "no-cache");
            Responses.sendJson(sink, json, 200, headers, config());
            return;
        }
        Asset asset;
        if (PAGES.contains(path)) {
            asset = asset("index.html");
        } else if (path.startsWith(ASSETS) && ASSET_NAME.matcher(path.substring(ASSETS.length())).matches()) {
            asset = asset(path.substring(ASSETS.length()));
        } else {
            asset = null;
        }
        if (asset == null) {
            throw Failure.of(Problem.NOT_FOUND, "Unknown dashboard page: " + path + ".").exception();
        }
        Responses.put(headers, "cache-control", "no-cache");
        Responses.put(headers, "etag", asset.etag());
        if (asset.etag().equals(req.header("if-none-match"))) {
            sink.start(304, headers, 0);
            sink.close();
            return;
        }
        Responses.send(sink, 200, headers, asset.contentType(), asset.bytes());
    }

    private ObjectNode config() {
        ObjectNode node = json.createObjectNode();
        ObjectNode signIn = node.putObject("sign_in");
        switch (settings.signIn()) {
            case DashboardSettings.SignIn.SessionToken t -> signIn.put("type", "session_token");
            case DashboardSettings.SignIn.Oidc o -> {
                signIn.put("type", "oidc");
                signIn.put("authorize_url", o.authorizeUrl().toString());
                signIn.put("token_url", o.tokenUrl().toString());
                signIn.put("logout_url", o.logoutUrl().toString());
                signIn.put("client_id", o.clientId());
                signIn.put("scope", o.scope());
            }
        }
        return node;
    }

    /**
     * {@code POST /account/session {token}} signs in (sets the cookie), {@code GET} tells the page
     * who is signed in and its CSRF token, {@code DELETE} signs out (clears the cookie).
     */
    void session(HttpRequest req, AccountRoutes.Body body, Map<String, List<String>> headers, ResponseSink sink)
            throws IOException {
        Responses.put(headers, "cache-control", "no-store");
        switch (req.method()) {
            case "POST" -> {
                requireAllowedOrigin(req);
                JsonNode root = ChatRequestParser.readObject(json, body.read(HttpApi.SMALL_BODY_LIMIT));
                JsonNode token = root.get("token");
                if (token == null || token.isNull()) throw ChatRequestParser.missing("token");
                if (!token.isTextual()) throw ChatRequestParser.invalid("token", "token must be a string.");
                String value = token.asText().strip();
                AccountId account = sessions.authenticate(value);
                if (!COOKIE_SAFE.matcher(value).matches()) {
                    throw ChatRequestParser.invalid("token", "This session token cannot be kept in a cookie.");
                }
                Responses.put(headers, "set-cookie", cookie(value, COOKIE_MAX_AGE_SECONDS));
                Responses.sendJson(sink, json, 200, headers, sessionJson(account, value));
            }
            case "DELETE" -> {
                requireAllowedOrigin(req);
                Responses.put(headers, "set-cookie", cookie("", 0));
                ObjectNode node = json.createObjectNode();
                node.put("object", "session");
                node.put("deleted", true);
                Responses.sendJson(sink, json, 200, headers, node);
            }
            default -> {
                String token = credential(req);
                AccountId account = sessions.authenticate(token);
                Responses.sendJson(sink, json, 200, headers, sessionJson(account, token));
            }
        }
    }

    private ObjectNode sessionJson(AccountId account, String token) {
        ObjectNode node = json.createObjectNode();
        node.put("object", "session");
        node.put("account_id", account.value());
        node.put("csrf_token", csrfToken(token));
        return node;
    }

    private String cookie(String value, int maxAge) {
        return COOKIE + "=" + value + "; Path=/account; Max-Age=" + maxAge + "; HttpOnly; SameSite=Lax"
                + (settings.secureCookies() ? "; Secure" : "");
    }

    /**
     * The session token of an {@code /account} request: the bearer token if there is one, else the
     * cookie's, which a state-changing request may use only with a matching CSRF token from an
     * allowed origin; {@code null} when there is neither (the use case then answers 401).
     *
     * @throws Forbidden when the cookie is sent without a valid CSRF token or from another origin
     */
    String credential(HttpRequest req) {
        String bearer = bearer(req);
        if (bearer != null) return bearer;
        String cookie = cookieValue(req);
        if (cookie == null) return null;
        String method = req.method();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            requireAllowedOrigin(req);
            String sent = req.header(CSRF_HEADER);
            if (sent == null || !MessageDigest.isEqual(sent.getBytes(StandardCharsets.UTF_8),
                    csrfToken(cookie).getBytes(StandardCharsets.UTF_8))) {
                throw new Forbidden("csrf_token_invalid", "This request needs the X-CSRF-Token header of the signed-in "
                        + "dashboard session. Reload the dashboard and try again.");
            }
        }
        return cookie;
    }

    /** The CORS headers of an {@code /account} response to an allowed other origin (none for the API's own). */
    void cors(HttpRequest req, Map<String, List<String>> headers) {
        String origin = req.header("origin");
        if (origin == null || !settings.allowedOrigins().contains(origin)) return;
        Responses.put(headers, "access-control-allow-origin", origin);
        Responses.put(headers, "access-control-allow-credentials", "true");
        Responses.put(headers, "access-control-expose-headers", "content-disposition, x-request-id");
        Responses.put(headers, "vary", "Origin");
    }

    /** Answers a CORS preflight on {@code /account}: 204 for an allowed origin, 403 for any other. */
    void preflight(HttpRequest req, Map<String, List<String>> headers, ResponseSink sink) throws IOException {
        String origin = req.header("origin");
        if (origin == null || !settings.allowedOrigins().contains(origin)) {
            throw new Forbidden("origin_not_allowed", "Cross-origin requests to /account are allowed only from the "
                    + "dashboard's origin.");
        }
        cors(req, headers);
        Responses.put(headers, "access-control-allow-methods", "GET, POST, DELETE");
        Responses.put(headers, "access-control-allow-headers", "content-type, authorization, " + CSRF_HEADER);
        Responses.put(headers, "access-control-max-age", "600");
        sink.start(204, headers, 0);
        sink.close();
    }

    /**
     * Refuses a browser request sent from another site: its {@code Origin} must be the API's own
     * (same host as {@code Host}) or an allowed one. Requests without {@code Origin} (not from a
     * browser's cross-site fetch or form) pass unless {@code Sec-Fetch-Site} says cross-site.
     */
    private void requireAllowedOrigin(HttpRequest req) {
        String origin = req.header("origin");
        if (origin == null) {
            String site = req.header("sec-fetch-site");
            if (site == null || site.equals("same-origin") || site.equals("none")) return;
        } else if (settings.allowedOrigins().contains(origin) || sameOrigin(origin, req.header("host"))) {
            return;
        }
        throw new Forbidden("origin_not_allowed", "This request came from another site; sign in and act from the "
                + "SentX dashboard itself.");
    }

    private static boolean sameOrigin(String origin, String host) {
        if (host == null) return false;
        try {
            String authority = URI.create(origin).getRawAuthority();
            return authority != null && authority.equalsIgnoreCase(host.strip());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The CSRF token of a session: unguessable without the (HttpOnly) session token, stable for its life. */
    static String csrfToken(String sessionToken) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(("sentx-csrf-v1:" + sessionToken).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing", e);
        }
    }

    static String bearer(HttpRequest req) {
        String auth = req.header("authorization");
        if (auth == null) return null;
        String trimmed = auth.strip();
        if (trimmed.length() < 7 || !trimmed.regionMatches(true, 0, "Bearer ", 0, 7)) return null;
        return trimmed.substring(7).strip();
    }

    private static String cookieValue(HttpRequest req) {
        List<String> values = req.headers().get("cookie");
        if (values == null) return null;
        for (String header : values) {
            for (String part : header.split(";")) {
                String p = part.strip();
                if (p.startsWith(COOKIE + "=")) {
                    String v = p.substring(COOKIE.length() + 1);
                    return v.isEmpty() ? null : v;
                }
            }
        }
        return null;
    }

    private void securityHeaders(Map<String, List<String>> headers) {
        Responses.put(headers, "content-security-policy", csp);
        Responses.put(headers, "x-content-type-options", "nosniff");
        Responses.put(headers, "referrer-policy", "no-referrer");
        Responses.put(headers, "x-frame-options", "DENY");
        Responses.put(headers, "cross-origin-opener-policy", "same-origin");
    }

    private Asset asset(String name) {
        return assets.computeIfAbsent(name, DashboardRoutes::load);
    }

    private static Asset load(String name) {
        try (InputStream in = DashboardRoutes.class.getResourceAsStream("/dashboard/" + name)) {
            if (in == null) return null;
            byte[] bytes = in.readAllBytes();
            String etag = "\"" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 12) + "\"";
            String ext = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
            String type = switch (ext) {
                case "html" -> "text/html; charset=utf-8";
                case "js" -> "text/javascript; charset=utf-8";
                case "css" -> "text/css; charset=utf-8";
                default -> "image/svg+xml";
            };
            return new Asset(bytes, etag, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing", e);
        }
    }

    private record Asset(byte[] bytes, String etag, String contentType) {
    }

    /** A request refused before any use case ran: a cross-site or CSRF-less use of the cookie. */
    static final class Forbidden extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String code;

        Forbidden(String code, String message) {
            super(message, null, false, false);
            this.code = code;
        }

        String code() {
            return code;
        }
    }
}
