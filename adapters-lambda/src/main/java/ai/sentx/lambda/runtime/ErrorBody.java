package ai.sentx.lambda.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Base64;

/**
 * The error document of the Runtime API: {@code {"errorMessage","errorType","stackTrace":[]}}.
 * No stack trace is ever sent: messages are written for operators and name no secret.
 */
final class ErrorBody {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ErrorBody() {
    }

    /** The document as UTF-8 JSON. */
    static byte[] json(String errorType, String message) {
        ObjectNode node = JSON.createObjectNode();
        node.put("errorMessage", message == null ? "" : message);
        node.put("errorType", errorType);
        node.putArray("stackTrace");
        try {
            return JSON.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The document in base64, as the {@code Lambda-Runtime-Function-Error-Body} trailer carries it. */
    static String base64(String errorType, String message) {
        return Base64.getEncoder().encodeToString(json(errorType, message));
    }
}
