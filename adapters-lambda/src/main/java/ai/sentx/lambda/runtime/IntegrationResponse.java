package ai.sentx.lambda.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The two shapes in which a function URL takes an HTTP response from a function.
 *
 * <ul>
 *   <li>Streamed ({@code InvokeMode: RESPONSE_STREAM}): content type {@value #CONTENT_TYPE}; the body
 *       is a JSON prelude {@code {"statusCode","headers","cookies"}}, then {@link #DELIMITER 8 NUL
 *       bytes}, then the raw body ({@link #prelude}).</li>
 *   <li>Buffered ({@code BUFFERED}, and {@code sam local}): one JSON document
 *       {@code {"statusCode","headers","cookies","body","isBase64Encoded"}} ({@link #buffered}).</li>
 * </ul>
 * In both, {@code set-cookie} headers travel as {@code cookies} (one entry each) and every other
 * header with several values is joined with {@code ", "}.
 */
public final class IntegrationResponse {
    /** The content type of a streamed function-URL response with a prelude. */
    public static final String CONTENT_TYPE = "application/vnd.awslambda.http-integration-response";
    /** What separates the prelude from the body. */
    public static final byte[] DELIMITER = new byte[8];
    private static final ObjectMapper JSON = new ObjectMapper();

    private IntegrationResponse() {
    }

    /** The prelude followed by the 8 NUL bytes (JSON escapes any NUL inside a string, so none can leak in). */
    public static byte[] prelude(int status, Map<String, List<String>> headers) {
        ObjectNode prelude = metadata(status, headers);
        byte[] json = bytes(prelude);
        byte[] out = new byte[json.length + DELIMITER.length];
        System.arraycopy(json, 0, out, 0, json.length);
        return out;
    }

    /** The whole response as the buffered integration's JSON document. */
    public static byte[] buffered(int status, Map<String, List<String>> headers, byte[] body) {
        ObjectNode response = metadata(status, headers);
        if (isText(headers)) {
            response.put("body", new String(body, StandardCharsets.UTF_8));
            response.put("isBase64Encoded", false);
        } else {
            response.put("body", Base64.getEncoder().encodeToString(body));
            response.put("isBase64Encoded", true);
        }
        return bytes(response);
    }

    /** Whether a body with these headers is UTF-8 text (JSON, SSE, CSV, any {@code text/*}). */
    public static boolean isText(Map<String, List<String>> headers) {
        String type = header(headers, "content-type");
        if (type == null) return true;
        String t = type.toLowerCase(Locale.ROOT);
        return t.startsWith("text/") || t.startsWith("application/json") || t.contains("+json");
    }

    /** The values of header {@code name} (any case) joined with {@code ", "}, or {@code null}. */
    public static String header(Map<String, List<String>> headers, String name) {
        for (Map.Entry<String, List<String>> e : headers.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name) && e.getValue() != null && !e.getValue().isEmpty()) {
                return String.join(", ", e.getValue());
            }
        }
        return null;
    }

    private static ObjectNode metadata(int status, Map<String, List<String>> headers) {
        ObjectNode node = JSON.createObjectNode();
        node.put("statusCode", status);
        ObjectNode out = node.putObject("headers");
        ArrayNode cookies = node.putArray("cookies");
        headers.forEach((name, values) -> {
            if (values == null || values.isEmpty()) return;
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.equals("set-cookie")) {
                values.forEach(cookies::add);
            } else {
                out.put(lower, String.join(", ", values));
            }
        });
        return node;
    }

    private static byte[] bytes(ObjectNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
