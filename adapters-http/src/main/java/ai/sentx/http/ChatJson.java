package ai.sentx.http;

import ai.sentx.application.CompleteChat;
import ai.sentx.domain.chat.FinishReason;
import ai.sentx.domain.chat.TokenUsage;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
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

    /** The chunks of the stream {@code id}, created at {@code created}. */
    Chunks chunks(String id, long created) {
        return new Chunks(id, created);
    }

    /**
     * Writes the {@code chat.completion.chunk} events of one stream. What every chunk shares (the
     * id, object, created and model fields) is written once; each chunk's own parts (the delta,
     * the usage) are written by one generator kept for the whole stream, as separate root values.
     * The bytes are exactly those of a generator per chunk. {@link #close} gives the generator's
     * buffers back. Not thread-safe: one stream's chunks come from one thread at a time.
     */
    final class Chunks implements AutoCloseable {
        private static final byte[] ONE_CHOICE = ascii(",\"choices\":[{\"index\":0,\"delta\":");
        private static final byte[] NO_CHOICES = ascii(",\"choices\":[]");
        private static final byte[] NOT_FINISHED = ascii(",\"logprobs\":null,\"finish_reason\":null}]");
        private static final byte[] USAGE_NULL = ascii(",\"usage\":null");
        private static final byte[] USAGE = ascii(",\"usage\":");

        /** {@code {"id":...,"object":"chat.completion.chunk","created":...,"model":...}, without its closing brace. */
        private final byte[] header;
        private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        private final JsonGenerator g;

        private Chunks(String id, long created) {
            try {
                g = json.createGenerator(out);
                g.setRootValueSeparator(null); // root values back to back, as separate generators write them
                g.writeStartObject();
                header(g, id, created, "chat.completion.chunk");
                g.flush();
                this.header = out.toByteArray();
                g.writeEndObject();
                g.flush();
                out.reset();
            } catch (IOException e) {
                throw new UncheckedIOException("writing to memory failed", e);
            }
        }

        /**
         * A chunk whose delta holds {@code role} (if not {@code null}) and {@code content};
         * {@code usageNull} adds {@code "usage": null} (include_usage mode).
         */
        byte[] content(String role, String content, boolean usageNull) {
            return oneChoice(g -> {
                if (role != null) g.writeStringField("role", role);
                g.writeStringField("content", content);
            }, NOT_FINISHED, usageNull, null, false);
        }

        /** A chunk whose delta opens tool call {@code index}: its id, type, name and empty arguments. */
        byte[] toolCallOpening(int index, String callId, String name, boolean usageNull) {
            return oneChoice(g -> {
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
            }, NOT_FINISHED, usageNull, null, false);
        }

        /** A chunk whose delta has more of tool call {@code index}'s arguments. */
        byte[] toolCallArguments(int index, String fragment, boolean usageNull) {
            return oneChoice(g -> {
                g.writeArrayFieldStart("tool_calls");
                g.writeStartObject();
                g.writeNumberField("index", index);
                g.writeObjectFieldStart("function");
                g.writeStringField("arguments", fragment);
                g.writeEndObject();
                g.writeEndObject();
                g.writeEndArray();
            }, NOT_FINISHED, usageNull, null, false);
        }

        /**
         * The chunk with the finish reason and an empty delta: with {@code "usage": null} in
         * include_usage mode ({@code usage} is then {@code null}), else with the usage.
         */
        byte[] finish(FinishReason reason, boolean usageNull, TokenUsage usage, boolean includeCost) {
            byte[] finished = ascii(",\"logprobs\":null,\"finish_reason\":\"" + reason.wire() + "\"}]");
            return oneChoice(g -> {
            }, finished, usageNull, usage, includeCost);
        }

        /** The include_usage mode's last chunk: {@code choices: []} and the usage. */
        byte[] usage(TokenUsage usage, boolean includeCost) {
            out.reset();
            out.writeBytes(header);
            out.writeBytes(NO_CHOICES);
            writeUsage(usage, includeCost);
            out.write('}');
            return out.toByteArray();
        }

        /** header, the choice with the delta {@code delta} writes, {@code afterDelta}, the usage part, the end. */
        private byte[] oneChoice(Body delta, byte[] afterDelta, boolean usageNull, TokenUsage usage,
                                 boolean includeCost) {
            out.reset();
            out.writeBytes(header);
            out.writeBytes(ONE_CHOICE);
            root(delta);
            out.writeBytes(afterDelta);
            if (usageNull) out.writeBytes(USAGE_NULL);
            if (usage != null) writeUsage(usage, includeCost);
            out.write('}');
            return out.toByteArray();
        }

        private void writeUsage(TokenUsage usage, boolean includeCost) {
            out.writeBytes(USAGE);
            root(g -> {
                g.writeNumberField("prompt_tokens", usage.promptTokens());
                g.writeNumberField("completion_tokens", usage.completionTokens());
                g.writeNumberField("total_tokens", usage.totalTokens());
                if (includeCost) g.writeNumberField("cost_cents", usage.costCents());
            });
        }

        /** One object as a root value of the stream's generator, flushed to {@link #out}. */
        private void root(Body fields) {
            try {
                g.writeStartObject();
                fields.write(g);
                g.writeEndObject();
                g.flush();
            } catch (IOException e) {
                throw new UncheckedIOException("writing to memory failed", e);
            }
        }

        /** Gives the generator's buffers back; the chunks are not to be used after. */
        @Override
        public void close() {
            try {
                g.close();
            } catch (IOException e) {
                throw new UncheckedIOException("writing to memory failed", e);
            }
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
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
