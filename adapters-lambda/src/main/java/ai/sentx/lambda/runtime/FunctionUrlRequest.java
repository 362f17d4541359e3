package ai.sentx.lambda.runtime;

import ai.sentx.http.HttpRequest;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The parts of a function-URL (or HTTP API) request event, payload format 2.0, that SentX reads,
 * and their translation to the transport-neutral {@link HttpRequest}.
 *
 * <ul>
 *   <li>The path is {@code rawPath} (still percent-encoded; {@code requestContext.http.path} when it is
 *       missing), the query {@code rawQueryString} ({@code null} when empty).</li>
 *   <li>Headers arrive with lower-case names; a header sent several times arrives as one value joined
 *       with commas and is passed on as that one value, as a proxy would.</li>
 *   <li>Payload 2.0 moves the {@code Cookie} header into {@code cookies[]}: they are joined back into
 *       one {@code cookie} header with {@code "; "}.</li>
 *   <li>A body with {@code isBase64Encoded} is decoded; otherwise it is the UTF-8 text. The content
 *       length is the decoded body's.</li>
 * </ul>
 *
 * @param method    the HTTP method, upper case
 * @param rawPath   the percent-encoded path
 * @param rawQuery  the raw query, or {@code null}
 * @param headers   one value per lower-case name
 * @param cookies   the cookies, in order ({@code name=value} each)
 * @param body      the decoded body (empty when there is none)
 */
public record FunctionUrlRequest(String method, String rawPath, String rawQuery, Map<String, String> headers,
                                 List<String> cookies, byte[] body) {
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    /** Checks presence and copies the collections. */
    public FunctionUrlRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(rawPath, "rawPath");
        Objects.requireNonNull(body, "body");
        Map<String, String> lower = new LinkedHashMap<>();
        if (headers != null) headers.forEach((k, v) -> {
            if (k != null && v != null) lower.put(k.toLowerCase(Locale.ROOT), v);
        });
        headers = Map.copyOf(lower);
        cookies = cookies == null ? List.of() : List.copyOf(cookies);
        if (rawQuery != null && rawQuery.isEmpty()) rawQuery = null;
    }

    /**
     * Reads an event document.
     *
     * @throws InvalidEventException if it is not a payload-2.0 HTTP request (no method or path) or
     *                               its base64 body is malformed
     */
    public static FunctionUrlRequest fromJson(JsonNode event) {
        if (event == null || !event.isObject()) throw new InvalidEventException("the event is not a JSON object");
        JsonNode http = event.path("requestContext").path("http");
        String method = text(http.get("method"));
        String path = text(event.get("rawPath"));
        if (path == null) path = text(http.get("path"));
        if (method == null || path == null) {
            throw new InvalidEventException("the event is not a function-URL request (payload format 2.0): "
                    + "requestContext.http.method or rawPath is missing");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        event.path("headers").properties().forEach(e -> {
            if (e.getValue().isValueNode() && !e.getValue().isNull()) headers.put(e.getKey(), e.getValue().asText());
        });
        List<String> cookies = new ArrayList<>();
        event.path("cookies").forEach(c -> cookies.add(c.asText()));
        return of(method, path, text(event.get("rawQueryString")), headers, cookies, text(event.get("body")),
                event.path("isBase64Encoded").asBoolean(false));
    }

    /**
     * Builds a request from an event's fields (any of them may be {@code null} but the method and path).
     *
     * @throws InvalidEventException if {@code isBase64Encoded} and the body is not base64
     */
    public static FunctionUrlRequest of(String method, String rawPath, String rawQuery, Map<String, String> headers,
                                        List<String> cookies, String body, boolean isBase64Encoded) {
        byte[] bytes;
        if (body == null) {
            bytes = new byte[0];
        } else if (isBase64Encoded) {
            try {
                // Strict: line breaks are tolerated, any other character outside the alphabet is not.
                bytes = Base64.getDecoder().decode(WHITESPACE.matcher(body).replaceAll(""));
            } catch (IllegalArgumentException e) {
                throw new InvalidEventException("the event's body is marked base64 but is not");
            }
        } else {
            bytes = body.getBytes(StandardCharsets.UTF_8);
        }
        return new FunctionUrlRequest(method.toUpperCase(Locale.ROOT), rawPath, rawQuery, headers, cookies, bytes);
    }

    /** The request for {@code HttpApi}: header values as single-element lists, cookies as one {@code cookie} header. */
    public HttpRequest toHttpRequest() {
        Map<String, List<String>> values = new LinkedHashMap<>();
        headers.forEach((name, value) -> values.put(name, List.of(value)));
        if (!cookies.isEmpty()) {
            String joined = String.join("; ", cookies);
            String sent = headers.get("cookie");
            values.put("cookie", List.of(sent == null ? joined : sent + "; " + joined));
        }
        values.put("content-length", List.of(Integer.toString(body.length)));
        return new HttpRequest(method, rawPath, rawQuery, values, new ByteArrayInputStream(body), body.length);
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() || !node.isValueNode() ? null : node.asText();
    }

    /** The event is not one this runtime can serve; nothing was sent yet. */
    public static final class InvalidEventException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        /** @param message says what is wrong, never echoing the event's content */
        public InvalidEventException(String message) {
            super(message);
        }
    }
}
