package ai.sentx.http;

import ai.sentx.domain.Failure;
import ai.sentx.domain.FailureException;
import ai.sentx.domain.IdentityHeaders;
import ai.sentx.domain.Problem;
import ai.sentx.domain.chat.ChatMessage;
import ai.sentx.domain.chat.ChatRequest;
import ai.sentx.domain.chat.ContentPart;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads an OpenAI chat completion request body into a {@link ChatRequest}, checking each field's
 * type and naming the parameter at fault. Unknown fields are ignored (CONTRACT §4).
 */
final class ChatRequestParser {
    private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool", "function");
    private final ObjectMapper json;

    ChatRequestParser(ObjectMapper json) {
        this.json = json;
    }

    ChatRequest parse(byte[] body) {
        JsonNode root = readObject(json, body);
        String model = requiredString(root, "model");
        JsonNode messagesNode = root.get("messages");
        if (messagesNode == null || messagesNode.isNull()) throw missing("messages");
        if (!messagesNode.isArray()) throw invalid("messages", "messages must be an array.");
        List<ChatMessage> messages = new ArrayList<>(messagesNode.size());
        for (int i = 0; i < messagesNode.size(); i++) messages.add(message(messagesNode.get(i), "messages[" + i + "]"));

        boolean stream = optionalBoolean(root, "stream");
        boolean includeUsage = false;
        JsonNode streamOptions = root.get("stream_options");
        if (streamOptions != null && !streamOptions.isNull()) {
            if (!stream) {
                throw invalid("stream_options", "stream_options is only allowed when stream is true.");
            }
            if (!streamOptions.isObject()) throw invalid("stream_options", "stream_options must be an object.");
            includeUsage = optionalBoolean(streamOptions, "include_usage", "stream_options.include_usage");
        }
        Long maxCompletion = optionalPositiveLong(root, "max_completion_tokens");
        Long maxTokens = optionalPositiveLong(root, "max_tokens");
        Long n = optionalPositiveLong(root, "n");
        if (n != null && n != 1) throw invalid("n", "Only n=1 is supported.");
        Double temperature = optionalNumber(root, "temperature", 0, 2);
        Double topP = optionalNumber(root, "top_p", 0, 1);
        optionalNumber(root, "presence_penalty", -2, 2);
        optionalNumber(root, "frequency_penalty", -2, 2);
        Long seed = optionalLong(root, "seed");
        String user = IdentityHeaders.checkLength("user", optionalString(root, "user"));
        String userName = IdentityHeaders.checkLength("user_name", optionalString(root, "user_name"));
        String tools = optionalRaw(root, "tools", JsonNode::isArray, "an array");
        String toolChoice = optionalRaw(root, "tool_choice", n2 -> n2.isTextual() || n2.isObject(), "a string or an object");
        String responseFormat = optionalRaw(root, "response_format", JsonNode::isObject, "an object");
        optionalRaw(root, "metadata", JsonNode::isObject, "an object");
        return new ChatRequest(model, messages, stream, includeUsage, maxCompletion != null ? maxCompletion : maxTokens,
                stop(root), temperature, topP, seed, user, userName, tools, toolChoice, responseFormat);
    }

    static JsonNode readObject(ObjectMapper json, byte[] body) {
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (JacksonException e) {
            throw Failure.of(Problem.INVALID_JSON, "The request body is not valid JSON.").exception();
        } catch (IOException e) {
            throw Failure.of(Problem.INVALID_JSON, "The request body could not be read.").exception();
        }
        if (root == null || !root.isObject()) {
            throw Failure.of(Problem.INVALID_JSON, "The request body must be a JSON object.").exception();
        }
        return root;
    }

    private ChatMessage message(JsonNode m, String param) {
        if (!m.isObject()) throw invalid(param, param + " must be an object.");
        JsonNode roleNode = m.get("role");
        if (roleNode == null || roleNode.isNull()) throw missing(param + ".role");
        if (!roleNode.isTextual() || !ROLES.contains(roleNode.asText())) {
            throw invalid(param + ".role", param + ".role must be one of system, developer, user, assistant, tool.");
        }
        String role = roleNode.asText();
        String toolCalls = optionalRaw(m, "tool_calls", JsonNode::isArray, "an array", param + ".tool_calls");
        JsonNode content = m.get("content");
        List<ContentPart> parts = new ArrayList<>();
        if (content == null || content.isNull()) {
            if (!role.equals("assistant")) throw missing(param + ".content");
        } else if (content.isTextual()) {
            parts.add(new ContentPart.Text(content.asText()));
        } else if (content.isArray()) {
            for (int j = 0; j < content.size(); j++) parts.add(part(content.get(j), param + ".content[" + j + "]"));
        } else {
            throw invalid(param + ".content", param + ".content must be a string or an array of content parts.");
        }
        String name = optionalString(m, "name", param + ".name");
        String toolCallId = optionalString(m, "tool_call_id", param + ".tool_call_id");
        return new ChatMessage(role, parts, name, toolCallId, toolCalls);
    }

    private ContentPart part(JsonNode p, String param) {
        if (!p.isObject()) throw invalid(param, param + " must be an object.");
        String type = requiredString(p, "type", param + ".type");
        return switch (type) {
            case "text" -> new ContentPart.Text(requiredString(p, "text", param + ".text"));
            case "refusal" -> new ContentPart.Text(requiredString(p, "refusal", param + ".refusal"));
            case "image_url" -> {
                JsonNode img = p.get("image_url");
                if (img == null || img.isNull()) throw missing(param + ".image_url");
                if (img.isTextual()) yield new ContentPart.ImageUrl(img.asText(), null);
                if (!img.isObject()) throw invalid(param + ".image_url", param + ".image_url must be an object.");
                yield new ContentPart.ImageUrl(requiredString(img, "url", param + ".image_url.url"),
                        optionalString(img, "detail", param + ".image_url.detail"));
            }
            case "input_file" -> new ContentPart.FileRef(requiredString(p, "file_id", param + ".file_id"));
            case "file" -> {
                JsonNode f = p.get("file");
                if (f == null || !f.isObject()) throw missing(param + ".file");
                String fileId = optionalString(f, "file_id", param + ".file.file_id");
                if (fileId != null) yield new ContentPart.FileRef(fileId);
                String data = optionalString(f, "file_data", param + ".file.file_data");
                if (data == null) throw missing(param + ".file.file_id");
                yield new ContentPart.FileData(data, optionalString(f, "filename", param + ".file.filename"));
            }
            case "input_audio", "input_video", "video_url", "audio_url" -> new ContentPart.Unsupported(type);
            default -> throw invalid(param + ".type", "Unknown content part type '" + type + "'.");
        };
    }

    private List<String> stop(JsonNode root) {
        JsonNode stop = root.get("stop");
        if (stop == null || stop.isNull()) return List.of();
        if (stop.isTextual()) return List.of(stop.asText());
        if (!stop.isArray() || stop.size() > 4) throw invalid("stop", "stop must be a string or an array of up to 4 strings.");
        List<String> out = new ArrayList<>();
        for (JsonNode s : stop) {
            if (!s.isTextual()) throw invalid("stop", "stop must be a string or an array of up to 4 strings.");
            if (!s.asText().isEmpty()) out.add(s.asText());
        }
        return out;
    }

    private static String requiredString(JsonNode node, String field) {
        return requiredString(node, field, field);
    }

    private static String requiredString(JsonNode node, String field, String param) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) throw missing(param);
        if (!v.isTextual()) throw invalid(param, param + " must be a string.");
        return v.asText();
    }

    private static String optionalString(JsonNode node, String field) {
        return optionalString(node, field, field);
    }

    private static String optionalString(JsonNode node, String field, String param) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isTextual()) throw invalid(param, param + " must be a string.");
        return v.asText();
    }

    private static boolean optionalBoolean(JsonNode node, String field) {
        return optionalBoolean(node, field, field);
    }

    private static boolean optionalBoolean(JsonNode node, String field, String param) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return false;
        if (!v.isBoolean()) throw invalid(param, param + " must be a boolean.");
        return v.asBoolean();
    }

    private static Long optionalLong(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isIntegralNumber() || !v.canConvertToLong()) throw invalid(field, field + " must be an integer.");
        return v.asLong();
    }

    private static Long optionalPositiveLong(JsonNode node, String field) {
        Long v = optionalLong(node, field);
        if (v != null && v < 1) throw invalid(field, field + " must be at least 1.");
        return v;
    }

    private static Double optionalNumber(JsonNode node, String field, double min, double max) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isNumber()) throw invalid(field, field + " must be a number.");
        double d = v.asDouble();
        if (!(d >= min && d <= max)) throw invalid(field, field + " must be between " + min + " and " + max + ".");
        return d;
    }

    private static String optionalRaw(JsonNode node, String field, java.util.function.Predicate<JsonNode> ok, String what) {
        return optionalRaw(node, field, ok, what, field);
    }

    private static String optionalRaw(JsonNode node, String field, java.util.function.Predicate<JsonNode> ok, String what,
                                      String param) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return null;
        if (!ok.test(v)) throw invalid(param, param + " must be " + what + ".");
        return v.toString();
    }

    static FailureException missing(String param) {
        return Failure.of(Problem.MISSING_REQUIRED_PARAMETER, "Missing required parameter: '" + param + "'.", param)
                .exception();
    }

    static FailureException invalid(String param, String message) {
        return Failure.of(Problem.INVALID_PARAMETER, message, param).exception();
    }
}
