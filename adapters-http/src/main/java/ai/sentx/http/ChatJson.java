package ai.sentx.http;

import ai.sentx.application.CompleteChat;
import ai.sentx.domain.chat.FinishReason;
import ai.sentx.domain.chat.TokenUsage;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The wire shapes of {@code chat.completion} and {@code chat.completion.chunk} (OPENAI-WIRE.md). */
final class ChatJson {
    private final ObjectMapper json;

    ChatJson(ObjectMapper json) {
        this.json = json;
    }

    ObjectNode completion(String id, long created, String content, FinishReason reason, TokenUsage usage,
                          boolean includeCost) {
        ObjectNode root = header(id, created, "chat.completion");
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        message.put("content", content);
        message.putNull("refusal");
        choice.putNull("logprobs");
        choice.put("finish_reason", reason.wire());
        root.set("usage", usage(usage, includeCost));
        return root;
    }

    /** A chunk with one choice; {@code usageNull} adds {@code "usage": null} (include_usage mode). */
    ObjectNode chunk(String id, long created, ObjectNode delta, FinishReason reason, boolean usageNull) {
        ObjectNode root = header(id, created, "chat.completion.chunk");
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        choice.set("delta", delta);
        choice.putNull("logprobs");
        if (reason == null) choice.putNull("finish_reason");
        else choice.put("finish_reason", reason.wire());
        if (usageNull) root.putNull("usage");
        return root;
    }

    /** The include_usage mode's last chunk: {@code choices: []} and the usage. */
    ObjectNode usageChunk(String id, long created, TokenUsage usage, boolean includeCost) {
        ObjectNode root = header(id, created, "chat.completion.chunk");
        root.putArray("choices");
        root.set("usage", usage(usage, includeCost));
        return root;
    }

    ObjectNode delta() {
        return json.createObjectNode();
    }

    ObjectNode usage(TokenUsage usage, boolean includeCost) {
        ObjectNode node = json.createObjectNode();
        node.put("prompt_tokens", usage.promptTokens());
        node.put("completion_tokens", usage.completionTokens());
        node.put("total_tokens", usage.totalTokens());
        if (includeCost) node.put("cost_cents", usage.costCents());
        return node;
    }

    private ObjectNode header(String id, long created, String object) {
        ObjectNode root = json.createObjectNode();
        root.put("id", id);
        root.put("object", object);
        root.put("created", created);
        root.put("model", CompleteChat.MODEL);
        return root;
    }

    ArrayNode array() {
        return json.createArrayNode();
    }
}
