package ai.sentx.model.upstream;

import ai.sentx.port.ModelBackendException;
import ai.sentx.port.ModelBackendException.Kind;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The upstream's failures as {@link ModelBackendException}s whose messages are safe to show a
 * customer: made of the HTTP status and, when they look like OpenAI's machine-readable names, the
 * upstream error's {@code code} and {@code param}. The upstream's message, body, URL and headers
 * are never copied: they may hold the gateway's key, internal addresses or another tenant's data.
 */
final class UpstreamFailures {
    /** Lower-case identifiers as OpenAI writes codes ({@code context_length_exceeded}). */
    private static final Pattern CODE = Pattern.compile("[a-z][a-z_]{2,47}");
    /** Parameter paths as OpenAI writes them ({@code messages[1].content}). */
    private static final Pattern PARAM = Pattern.compile("[a-z_][a-z_]{0,31}(\\[[0-9]{1,3}]|\\.[a-z_]{1,32}){0,6}");

    private UpstreamFailures() {
    }

    /** Whether a response with this status is worth one more try (before anything was streamed). */
    static boolean retryable(int status) {
        return status == 408 || status == 429 || status >= 500;
    }

    /** The failure for a non-200 answer; {@code body} is its start (may be empty). */
    static ModelBackendException status(int status, byte[] body, ObjectMapper json) {
        Detail detail = detail(body, json);
        return switch (status) {
            case 401, 403 -> new ModelBackendException(Kind.UPSTREAM_ERROR,
                    "the model server refused the gateway's credentials (HTTP " + status + ").");
            case 404 -> new ModelBackendException(Kind.UPSTREAM_ERROR,
                    "the model server does not serve the configured model or route (HTTP 404).");
            case 408, 504 -> new ModelBackendException(Kind.TIMEOUT,
                    "The model server timed out (HTTP " + status + ").");
            case 429 -> new ModelBackendException(Kind.UPSTREAM_ERROR,
                    "the model server is over capacity (HTTP 429)" + detail.suffix() + ".");
            default -> status >= 400 && status < 500
                    ? new ModelBackendException(Kind.REJECTED, rejection(status, detail))
                    : new ModelBackendException(Kind.UPSTREAM_ERROR,
                    "the model server answered HTTP " + status + detail.suffix() + ".");
        };
    }

    /** An {@code {"error": ...}} event in the middle of a stream. */
    static ModelBackendException errorEvent(JsonNode error) {
        Detail detail = detail(error);
        return new ModelBackendException(Kind.UPSTREAM_ERROR,
                "the model server reported an error mid-stream" + detail.suffix() + ".");
    }

    static ModelBackendException endedEarly() {
        return new ModelBackendException(Kind.UPSTREAM_ERROR, "the model server ended the stream before the reply.");
    }

    static ModelBackendException connectionLost() {
        return new ModelBackendException(Kind.UPSTREAM_ERROR, "the connection to the model server broke mid-stream.");
    }

    static ModelBackendException unreadable() {
        return new ModelBackendException(Kind.UPSTREAM_ERROR, "the model server sent a stream that is not valid.");
    }

    static ModelBackendException unreachable() {
        return new ModelBackendException(Kind.UPSTREAM_ERROR, "the model server could not be reached.");
    }

    static ModelBackendException connectTimeout() {
        return new ModelBackendException(Kind.TIMEOUT, "The model server did not accept a connection in time.");
    }

    static ModelBackendException firstTokenTimeout() {
        return new ModelBackendException(Kind.TIMEOUT, "The model did not start its reply in time.");
    }

    static ModelBackendException idleTimeout() {
        return new ModelBackendException(Kind.TIMEOUT, "The model stopped sending its reply.");
    }

    static ModelBackendException interrupted() {
        return new ModelBackendException(Kind.UPSTREAM_ERROR, "the call to the model server was interrupted.");
    }

    private static String rejection(int status, Detail detail) {
        if ("context_length_exceeded".equals(detail.code())) {
            return "The conversation is longer than the model's context window (code context_length_exceeded).";
        }
        return "The model rejected the request (HTTP " + status + ")" + detail.suffix()
                + ". Check the request's parameters and content.";
    }

    /** The machine-readable parts of an upstream error, each {@code null} unless it looks safe. */
    record Detail(String code, String param) {
        String suffix() {
            StringBuilder sb = new StringBuilder();
            if (code != null) sb.append(", code ").append(code);
            if (param != null) sb.append(", param ").append(param);
            return sb.toString();
        }
    }

    private static Detail detail(byte[] body, ObjectMapper json) {
        if (body == null || body.length == 0) return new Detail(null, null);
        try {
            JsonNode root = json.readTree(body);
            if (root == null) return new Detail(null, null);
            JsonNode error = root.get("error");
            return detail(error != null && error.isObject() ? error : root);
        } catch (IOException e) {
            return new Detail(null, null);
        }
    }

    private static Detail detail(JsonNode error) {
        if (error == null || !error.isObject()) return new Detail(null, null);
        String code = safe(error.get("code"), CODE);
        if (code == null) code = safe(error.get("type"), CODE);
        return new Detail(code, safe(error.get("param"), PARAM));
    }

    private static String safe(JsonNode node, Pattern pattern) {
        if (node == null || !node.isTextual()) return null;
        String s = node.asText().toLowerCase(Locale.ROOT).equals(node.asText()) ? node.asText() : null;
        return s != null && pattern.matcher(s).matches() ? s : null;
    }
}
