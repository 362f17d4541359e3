package ai.sentx.model.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sentx.port.ModelBackendException;
import ai.sentx.port.ModelBackendException.Kind;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class UpstreamFailuresTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET_BODY = """
            {"error":{"message":"Incorrect API key sk-proj-abc123SECRET for https://internal.example/v1?token=t0k",
             "type":"invalid_request_error","param":"messages[2].content","code":"invalid_value"}}""";

    private static ModelBackendException status(int status, String body) {
        return UpstreamFailures.status(status, body.getBytes(StandardCharsets.UTF_8), JSON);
    }

    @Test
    void statuses_mapToKinds() {
        assertEquals(Kind.REJECTED, status(400, "").kind());
        assertEquals(Kind.REJECTED, status(413, "").kind());
        assertEquals(Kind.REJECTED, status(422, "").kind());
        assertEquals(Kind.UPSTREAM_ERROR, status(401, "").kind());
        assertEquals(Kind.UPSTREAM_ERROR, status(403, "").kind());
        assertEquals(Kind.UPSTREAM_ERROR, status(404, "").kind());
        assertEquals(Kind.UPSTREAM_ERROR, status(429, "").kind());
        assertEquals(Kind.UPSTREAM_ERROR, status(500, "").kind());
        assertEquals(Kind.UPSTREAM_ERROR, status(503, "").kind());
        assertEquals(Kind.TIMEOUT, status(504, "").kind());
        assertEquals(Kind.TIMEOUT, status(408, "").kind());
    }

    @Test
    void onlyStatusesARetryCanFix_areRetried() {
        for (int s : List.of(408, 429, 500, 502, 503, 504)) assertTrue(UpstreamFailures.retryable(s), "" + s);
        for (int s : List.of(400, 401, 403, 404, 413, 422)) assertFalse(UpstreamFailures.retryable(s), "" + s);
    }

    @Test
    void messages_keepTheCodeAndParam_butNeverTheServersMessageUrlOrKey() {
        String message = status(400, SECRET_BODY).getMessage();
        assertTrue(message.contains("HTTP 400") && message.contains("code invalid_value")
                && message.contains("param messages[2].content"), message);
        for (int s : List.of(400, 401, 404, 429, 500)) {
            String m = status(s, SECRET_BODY).getMessage();
            for (String leak : List.of("sk-proj", "SECRET", "internal.example", "token", "Incorrect")) {
                assertFalse(m.contains(leak), s + " leaks " + leak + ": " + m);
            }
        }
    }

    @Test
    void codesAndParamsThatDoNotLookLikeOpenAIs_areLeftOut() {
        String m = status(400, "{\"error\":{\"code\":\"sk_live_ABCdef\",\"param\":\"http://x/y\"}}").getMessage();
        assertFalse(m.contains("sk_live") || m.contains("http"), m);
        String digits = status(400, "{\"error\":{\"code\":\"key123456\"}}").getMessage();
        assertFalse(digits.contains("key123456"), digits);
        assertFalse(status(400, "not json at all sk-123").getMessage().contains("sk-123"));
    }

    @Test
    void aContextOverflow_isExplainedInPlainWords() {
        String m = status(400, "{\"error\":{\"code\":\"context_length_exceeded\",\"message\":\"...\"}}").getMessage();
        assertTrue(m.contains("context window"), m);
    }
}
