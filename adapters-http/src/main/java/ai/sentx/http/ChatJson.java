package ai.sentx.http;

import ai.sentx.application.CompleteChat;
import ai.sentx.domain.chat.FinishReason;
import ai.sentx.domain.chat.TokenUsage;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The wire shapes of {@code chat.completion} and {@code chat.completion.chunk} (OPENAI-WIRE.md),
 * written straight to bytes with the mapper's generator (no tree per response or per chunk).
 */
final class ChatJson {
    private final ObjectMapper json;

    ChatJson(ObjectMapper json) {
        this.json = json;
    }

    /** A tool call of a non-stream reply: its id, function name and complete arguments JSON text. */
    record ToolCall(String id, String name, String arguments) {
    }

    /** Writes the fields of one JSON object into an open generator. */
    @FunctionalInterface
    private interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    /**
     * A {@code chat.completion}. With tool calls, {@code message.tool_calls} lists them and an empty
     * {@code content} is {@code null}, as OpenAI sends it.
     */
    byte[] completion(String id, long created, String content, List<ToolCall> toolCalls, FinishReason reason,
                      TokenUsage usage, boolean includeCost) {
        return object(256 + content.length(), g -> {
            header(g, id, created, "chat.completion");
            g.writeArrayFieldStart("choices");
            g.writeStartObject();
            g.writeNumberField("index", 0);
            g.writeObjectFieldStart("message");
            g.writeStringField("role", "assistant");
            if (toolCalls.isEmpty() || !content.isEmpty()) g.writeStringField("content", content);
            else g.writeNullField("content");
            g.writeNullField("refusal");
            if (!toolCalls.isEmpty()) {
                g.writeArrayFieldStart("tool_calls");
                for (ToolCall call : toolCalls) {
                    g.writeStartObject();
                    g.writeStringField("id", call.id());
                    g.writeStringField("type", "function");
                    g.writeObjectFieldStart("function");
                    g.writeStringField("name", call.name());
                    g.writeStringField("arguments", call.arguments());
                    g.writeEndObject();
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            g.writeEndObject();
            g.writeNullField("logprobs");
            g.writeStringField("finish_reason", reason.wire());
            g.writeEndObject();
            g.writeEndArray();
            usage(g, usage, includeCost);
        });
    }

    /**
     * A chunk whose delta holds {@code role} (if not {@code null}) and {@code content};
     * {@code usageNull} adds {@code "usage": null} (include_usage mode).
     */
    byte[] contentChunk(String id, long created, String role, String content, boolean usageNull) {
        return chunk(id, created, g -> {
            if (role != null) g.writeStringField("role", role);
            g.writeStringField("content", content);
        }, null, usageNull, null, false);
    }

    /** A chunk whose delta opens tool call {@code index}: its id, type, name and empty arguments. */
    byte[] toolCallOpening(String id, long created, int index, String callId, String name, boolean usageNull) {
        return chunk(id, created, g -> {
            g.writeArrayFieldStart("tool_calls");
            g.writeStartObject();
            g.writeNumberField("index", index);
            g.writeStringField("id", callId);
            g.writeStringField("type", "function");
            g.writeObjectFieldStart("function");
            g.writeStringField("name", name);
            g.writeStringField("arguments", "");
            g.writeEndObject();
            g.writeEndObject();
            g.writeEndArray();
        }, null, usageNull, null, false);
    }

    /** A chunk whose delta has more of tool call {@code index}'s arguments. */
    byte[] toolCallArguments(String id, long created, int index, String fragment, boolean usageNull) {
        return chunk(id, created, g -> {
            g.writeArrayFieldStart("tool_calls");
            g.writeStartObject();
            g.writeNumberField("index", index);
            g.writeObjectFieldStart("function");
            g.writeStringField("arguments", fragment);
            g.writeEndObject();
            g.writeEndObject();
            g.writeEndArray();
        }, null, usageNull, null, false);
    }

    /**
     * The chunk with the finish reason and an empty delta: with {@code "usage": null} in include_usage
     * mode ({@code usage} is then {@code null}), else with the usage.
     */
    byte[] finishChunk(String id, long created, FinishReason reason, boolean usageNull, TokenUsage usage,
                       boolean includeCost) {
        return chunk(id, created, g -> {
        }, reason, usageNull, usage, includeCost);
    }

    /** The include_usage mode's last chunk: {@code choices: []} and the usage. */
    byte[] usageChunk(String id, long created, TokenUsage usage, boolean includeCost) {
        return object(192, g -> {
            header(g, id, created, "chat.completion.chunk");
            g.writeArrayFieldStart("choices");
            g.writeEndArray();
            usage(g, usage, includeCost);
        });
    }

    /** A chunk with one choice; {@code usage}, if not {@code null}, is written last. */
    private byte[] chunk(String id, long created, Body delta, FinishReason reason, boolean usageNull, TokenUsage usage,
                         boolean includeCost) {
        return object(224, g -> {
            header(g, id, created, "chat.completion.chunk");
            g.writeArrayFieldStart("choices");
            g.writeStartObject();
            g.writeNumberField("index", 0);
            g.writeObjectFieldStart("delta");
            delta.write(g);
            g.writeEndObject();
            g.writeNullField("logprobs");
            if (reason == null) g.writeNullField("finish_reason");
            else g.writeStringField("finish_reason", reason.wire());
            g.writeEndObject();
            g.writeEndArray();
            if (usageNull) g.writeNullField("usage");
            if (usage != null) usage(g, usage, includeCost);
        });
    }

    private static void usage(JsonGenerator g, TokenUsage usage, boolean includeCost) throws IOException {
        g.writeObjectFieldStart("usage");
        g.writeNumberField("prompt_tokens", usage.promptTokens());
        g.writeNumberField("completion_tokens", usage.completionTokens());
        g.writeNumberField("total_tokens", usage.totalTokens());
        if (includeCost) g.writeNumberField("cost_cents", usage.costCents());
        g.writeEndObject();
    }

    private static void header(JsonGenerator g, String id, long created, String object) throws IOException {
        g.writeStringField("id", id);
        g.writeStringField("object", object);
        g.writeNumberField("created", created);
        g.writeStringField("model", CompleteChat.MODEL);
    }

    /** One JSON object, its fields written by {@code body}, as the mapper writes it. */
    private byte[] object(int sizeHint, Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(sizeHint);
        try (JsonGenerator g = json.createGenerator(out)) {
            g.writeStartObject();
            body.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory failed", e);
        }
        return out.toByteArray();
    }
}
