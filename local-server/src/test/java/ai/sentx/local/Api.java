package ai.sentx.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A raw HTTP client for one local server ({@code java.net.http}, HTTP/1.1), with the JSON and
 * error-envelope checks the integration tests share.
 */
final class Api {
    static final ObjectMapper JSON = new ObjectMapper();
    /** Bounds every request: a hung server fails the test instead of the build. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    final String origin;
    final String key;
    final String session;

    Api(LocalServer server) {
        this(server.origin(), server.demoApiKey(), server.demoSessionToken());
    }

    Api(String origin, String key, String session) {
        this.origin = origin;
        this.key = key;
        this.session = session;
    }

    /** The same server with another API key. */
    Api withKey(String otherKey) {
        return new Api(origin, otherKey, session);
    }

    /** A response with its body read as UTF-8. */
    record Response(int status, HttpHeaders headers, String body) {
        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (JsonProcessingException e) {
                throw new AssertionError("not JSON (status " + status + "): " + body, e);
            }
        }

        @Override
        public String toString() {
            return status + " " + (body.length() > 2000 ? body.substring(0, 2000) + "..." : body);
        }
    }

    /** {@code POST /v1/chat/completions} with the API key and {@code headers} as name/value pairs. */
    Response chat(String body, String... headers) {
        return send("POST", "/v1/chat/completions", key, body, headers);
    }

    Response chat(JsonNode body, String... headers) {
        return chat(write(body), headers);
    }

    /** A request to {@code /account...} with the session token. */
    Response account(String method, String pathAndQuery, String body, String... headers) {
        return send(method, pathAndQuery, session, body, headers);
    }

    Response get(String pathAndQuery, String bearer, String... headers) {
        return send("GET", pathAndQuery, bearer, null, headers);
    }

    /**
     * Sends one request.
     *
     * @param bearer  the {@code Authorization: Bearer} token, or {@code null} for none
     * @param body    a JSON body, or {@code null} for none
     * @param headers extra name/value pairs
     */
    Response send(String method, String pathAndQuery, String bearer, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(origin + pathAndQuery)).timeout(REQUEST_TIMEOUT);
        if (bearer != null) b.header("Authorization", "Bearer " + bearer);
        boolean hasContentType = false;
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
            hasContentType |= headers[i].equalsIgnoreCase("content-type");
        }
        if (body != null && !hasContentType) b.header("Content-Type", "application/json");
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        try {
            HttpResponse<String> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Response(r.statusCode(), r.headers(), r.body());
        } catch (IOException e) {
            throw new AssertionError(method + " " + pathAndQuery + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** The demo account's balance as {@code GET /account/balance} reports it. */
    long balance() {
        Response r = account("GET", "/account/balance", null);
        assertEquals(200, r.status(), r::toString);
        return r.json().get("balance_cents").asLong();
    }

    /** Every usage record of the account, newest first (follows the pages). */
    List<JsonNode> usage(String query) {
        List<JsonNode> all = new ArrayList<>();
        String after = null;
        for (int page = 0; page < 100; page++) {
            String q = "/account/usage?limit=1000" + (query.isEmpty() ? "" : "&" + query)
                    + (after == null ? "" : "&after=" + after);
            Response r = account("GET", q, null);
            assertEquals(200, r.status(), r::toString);
            JsonNode root = r.json();
            root.get("data").forEach(all::add);
            if (!root.get("has_more").asBoolean()) return all;
            after = all.getLast().get("id").asText();
        }
        throw new AssertionError("usage paging did not end");
    }

    /** The usage record of request {@code requestId}, or {@code null}. */
    JsonNode usageRecord(String requestId) {
        for (JsonNode r : usage("")) {
            if (r.get("id").asText().equals(requestId)) return r;
        }
        return null;
    }

    // ---- request bodies ----

    /** {@code {"model":"sentx-v1","messages":[{"role":"user","content":text}]}}. */
    static ObjectNode chatBody(String userText) {
        ObjectNode root = JSON.createObjectNode();
        root.put("model", "sentx-v1");
        root.putArray("messages").addObject().put("role", "user").put("content", userText);
        return root;
    }

    static ObjectNode streamBody(String userText) {
        return chatBody(userText).put("stream", true);
    }

    static String write(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }

    // ---- shared checks ----

    /** The pricing formula of CONTRACT §6, written independently of the main code. */
    static long expectedCost(long promptTokens, long completionTokens) {
        long micro = promptTokens * 300 + completionTokens * 1000;
        long rounded = (micro + 500_000) / 1_000_000;
        return Math.max(1, Math.min(500, rounded));
    }

    /** Matches any code or param (the test does not pin it). */
    static final String ANY = "\u0000any";

    /**
     * Asserts the error envelope of CONTRACT §3: status, JSON content type, all four keys, and
     * (unless {@link #ANY}) the code and the param.
     *
     * @return the {@code error} object
     */
    static JsonNode assertError(Response r, int status, String code, String param) {
        assertEquals(status, r.status(), () -> "status of " + r);
        String type = r.header("content-type");
        assertNotNull(type, "content-type of an error");
        assertTrue(type.startsWith("application/json"), "content-type of an error: " + type);
        JsonNode root = r.json();
        assertEquals(1, root.size(), () -> "only the error key: " + r);
        JsonNode error = root.get("error");
        assertNotNull(error, () -> "error key: " + r);
        for (String k : List.of("message", "type", "param", "code")) {
            assertTrue(error.has(k), () -> "error." + k + " present: " + r);
        }
        assertTrue(error.get("message").isTextual() && !error.get("message").asText().isBlank(), r::toString);
        assertTrue(error.get("type").isTextual(), r::toString);
        assertTrue(error.get("code").isTextual(), () -> "a code: " + r);
        if (!ANY.equals(code)) assertEquals(code, error.get("code").asText(), () -> "code of " + r);
        if (!ANY.equals(param)) {
            JsonNode p = error.get("param");
            assertEquals(param, p.isNull() ? null : p.asText(), () -> "param of " + r);
        }
        assertFalse(r.body().contains("Exception") || r.body().contains("\tat "), () -> "leaks internals: " + r);
        return error;
    }

    static void assertHasRateLimitHeaders(Response r) {
        assertRequestId(r);
        for (String h : List.of("x-ratelimit-limit-requests", "x-ratelimit-remaining-requests")) {
            String v = r.header(h);
            assertNotNull(v, () -> h + " on " + r);
            assertTrue(v.matches("\\d+"), () -> h + " is an integer: " + v);
        }
        String reset = r.header("x-ratelimit-reset-requests");
        assertNotNull(reset, () -> "x-ratelimit-reset-requests on " + r);
        assertTrue(reset.matches("(\\d+ms|[1-9]\\d*s|[1-9]\\d*m\\d+s)"), () -> "Go duration: " + reset);
        long ms = goDurationMillis(reset);
        assertTrue(ms >= 0 && ms <= 60_000, () -> "reset within the minute: " + reset);
    }

    static void assertRequestId(Response r) {
        String id = r.header("x-request-id");
        assertNotNull(id, () -> "x-request-id on " + r);
        assertFalse(id.isBlank());
    }

    /** Parses {@code 20ms}, {@code 12s}, {@code 1m0s}. */
    static long goDurationMillis(String d) {
        if (d.endsWith("ms")) return Long.parseLong(d.substring(0, d.length() - 2));
        int m = d.indexOf('m');
        long minutes = m < 0 ? 0 : Long.parseLong(d.substring(0, m));
        long seconds = Long.parseLong(d.substring(m + 1, d.length() - 1));
        return (minutes * 60 + seconds) * 1000;
    }
}
