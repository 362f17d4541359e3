package ai.sentx.http;

import ai.sentx.application.CompleteChat;
import ai.sentx.domain.chat.FinishReason;
import ai.sentx.domain.chat.TokenUsage;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** The wire shapes of {@code chat.completion} and {@code chat.completion.chunk} (OPENAI-WIRE.md). */
final class ChatJson {
    private final ObjectMapper json;

    ChatJson(ObjectMapper json) {
        this.json = json;
    }

    /** A tool call of a non-stream reply: its id, function name and complete arguments JSON text. */
    record ToolCall(String id, String name, String arguments) {
    }

    /**
     * A {@code chat.completion}. With tool calls, {@code message.tool_calls} lists them and an empty
     * {@code content} is {@code null}, as OpenAI sends it.
     */
    ObjectNode completion(String id, long created, String content, List<ToolCall> toolCalls, FinishReason reason,
                          TokenUsage usage, boolean includeCost) {
        ObjectNode root = header(id, created, "chat.completion");
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        if (toolCalls.isEmpty() || !content.isEmpty()) message.put("content", content);
        else message.putNull("content");
        message.putNull("refusal");
        if (!toolCalls.isEmpty()) {
            ArrayNode calls = message.putArray("tool_calls");
            for (ToolCall call : toolCalls) {
                ObjectNode c = calls.addObject();
                c.put("id", call.id());
                c.put("type", "function");
                ObjectNode function = c.putObject("function");
                function.put("name", call.name());
                function.put("arguments", call.arguments());
            }
        }
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

    /** The delta that opens tool call {@code index}: its id, type, name and empty arguments. */
    ObjectNode toolCallOpening(int index, String callId, String name) {
        ObjectNode delta = json.createObjectNode();
        ObjectNode call = delta.putArray("tool_calls").addObject();
        call.put("index", index);
        call.put("id", callId);
        call.put("type", "function");
        ObjectNode function = call.putObject("function");
        function.put("name", name);
        function.put("arguments", "");
        return delta;
    }

    /** A delta with more of tool call {@code index}'s arguments. */
    ObjectNode toolCallArguments(int index, String fragment) {
        ObjectNode delta = json.createObjectNode();
        ObjectNode call = delta.putArray("tool_calls").addObject();
        call.put("index", index);
        call.putObject("function").put("arguments", fragment);
        return delta;
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
