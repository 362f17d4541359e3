package ai.sentx.model.upstream;

import ai.sentx.domain.chat.FinishReason;
import ai.sentx.port.ModelBackendException;
import ai.sentx.port.ModelEvent;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Turns the data of each upstream {@code chat.completion.chunk} event into what the stream hands
 * out: {@link ModelEvent.TextDelta} for content (and refusals), {@link ModelEvent.ToolCallDelta}
 * for tool calls (re-indexed from 0 in order of first appearance, with an id made up when the
 * server sends none), a {@link RelayStream.End} at {@code [DONE]} with the finish reason and the
 * usage the server reported, and a {@link ModelBackendException} for an error event. Only choice 0
 * is read.
 *
 * <p>Not thread-safe: one per stream, fed in order by one thread at a time.
 */
final class ChunkReader {
    private static final byte[] DONE = {'[', 'D', 'O', 'N', 'E', ']'};
    private static final String ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private final ObjectMapper json;
    /** Reads the common chunks without a Jackson parser; {@code null}: every chunk goes through Jackson (tests). */
    private final ChunkScanner scanner;
    private final List<Choice> scanned = new ArrayList<>(1);
    private final Map<Integer, Integer> callIndexes = new HashMap<>(4);
    private FinishReason finish;
    private RelayStream.Usage usage;
    private boolean done;
    private boolean generating;

    ChunkReader(ObjectMapper json) {
        this(json, true);
    }

    /** @param fastPath whether to read the common chunks with {@link ChunkScanner} (else always with Jackson) */
    ChunkReader(ObjectMapper json, boolean fastPath) {
        this.json = json;
        this.scanner = fastPath ? new ChunkScanner() : null;
    }

    /**
     * Reads one event's data, adding what it yields to {@code out}.
     *
     * @throws IOException if the data is neither {@code [DONE]} nor a JSON object
     */
    void read(byte[] data, int length, List<Object> out) throws IOException {
        if (done) return;
        if (isDone(data, length)) {
            done = true;
            out.add(new RelayStream.End(finish == null ? FinishReason.STOP : finish, usage));
            return;
        }
        if (scanner != null) {
            scanned.clear();
            if (scanner.scan(data, length, scanned)) {
                apply(scanner.usageSeen ? new RelayStream.Usage(scanner.promptTokens, scanner.completionTokens) : null,
                        scanned, out);
                return;
            }
        }
        try (JsonParser p = json.getFactory().createParser(data, 0, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) throw new IOException("a stream event is not a JSON object");
            readChunk(p, out);
        }
    }

    /**
     * Reads the chunk object with the streaming parser: only what the relay needs is looked at
     * (choice 0's index, content, refusal, reasoning and finish reason), the rarer parts (tool calls,
     * usage, an error) as trees, the rest skipped. What the chunk yields is added once it is read
     * whole: an error event replaces everything else it holds.
     */
    private void readChunk(JsonParser p, List<Object> out) throws IOException {
        JsonNode error = null;
        JsonNode usageNode = null;
        List<Choice> zeros = new ArrayList<>(1);
        for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "error" -> error = value == JsonToken.VALUE_NULL ? null : p.readValueAsTree();
                case "usage" -> usageNode = value == JsonToken.START_OBJECT ? p.readValueAsTree() : skip(p);
                case "choices" -> {
                    if (value != JsonToken.START_ARRAY) {
                        p.skipChildren();
                        break;
                    }
                    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                        if (t != JsonToken.START_OBJECT) {
                            p.skipChildren();
                            continue;
                        }
                        Choice c = choice(p);
                        if (c.index == 0) zeros.add(c);
                    }
                }
                default -> p.skipChildren();
            }
        }
        if (error != null) {
            done = true;
            out.add(UpstreamFailures.errorEvent(error));
            return;
        }
        apply(usageNode == null ? null : new RelayStream.Usage(usageNode.path("prompt_tokens").asLong(0),
                usageNode.path("completion_tokens").asLong(0)), zeros, out);
    }

    /** What a chunk without an error yields: its usage ({@code null} if none) and choice 0's entries. */
    private void apply(RelayStream.Usage chunkUsage, List<Choice> zeros, List<Object> out) {
        if (chunkUsage != null) usage = chunkUsage;
        for (Choice c : zeros) {
            if (c.content != null) {
                generating = true;
                out.add(new ModelEvent.TextDelta(c.content));
            }
            if (c.reasoning) generating = true;
            if (c.toolCalls != null) toolCalls(c.toolCalls, out);
            if (c.finish != null) finish = c.finish;
        }
    }

    private static JsonNode skip(JsonParser p) throws IOException {
        p.skipChildren();
        return null;
    }

    /** What one choice holds; {@code index} defaults to 0 as OpenAI's single choice. */
    static final class Choice {
        int index;
        String content;
        boolean reasoning;
        JsonNode toolCalls;
        FinishReason finish;
    }

    private static Choice choice(JsonParser p) throws IOException {
        Choice c = new Choice();
        String refusal = null;
        for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "index" -> c.index = value.isScalarValue() ? p.getValueAsInt(0) : (int) skipAsZero(p);
                case "finish_reason" -> c.finish = value == JsonToken.VALUE_STRING ? finishReason(p.getText()) : null;
                case "delta" -> {
                    if (value != JsonToken.START_OBJECT) {
                        p.skipChildren();
                        break;
                    }
                    for (t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
                        String name = p.currentName();
                        JsonToken v = p.nextToken();
                        switch (name) {
                            case "content" -> c.content = text(p, v);
                            case "refusal" -> refusal = text(p, v);
                            case "reasoning_content", "reasoning" -> c.reasoning |= text(p, v) != null;
                            case "tool_calls" -> c.toolCalls = v == JsonToken.START_ARRAY ? p.readValueAsTree() : null;
                            default -> p.skipChildren();
                        }
                    }
                }
                default -> p.skipChildren();
            }
        }
        if (c.content == null) c.content = refusal;
        return c;
    }

    private static long skipAsZero(JsonParser p) throws IOException {
        p.skipChildren();
        return 0;
    }

    /** The value's text if it is a non-empty string, else {@code null} (and the value is skipped). */
    private static String text(JsonParser p, JsonToken value) throws IOException {
        if (value != JsonToken.VALUE_STRING) {
            p.skipChildren();
            return null;
        }
        String s = p.getText();
        return s.isEmpty() ? null : s;
    }

    /**
     * What the end of the body means: the reply's {@link RelayStream.End} if it finished, else a
     * failure; {@code null} after {@code [DONE]} or an error event.
     */
    Object endOfBody() {
        if (done) return null;
        done = true;
        if (finish != null) return new RelayStream.End(finish, usage);
        return UpstreamFailures.endedEarly();
    }

    /** Whether the server has produced a token yet (text, reasoning or a tool call). */
    boolean generating() {
        return generating;
    }

    /** Whether {@code [DONE]} or an error event was read. */
    boolean done() {
        return done;
    }

    private void toolCalls(JsonNode calls, List<Object> out) {
        for (JsonNode call : calls) {
            generating = true;
            int upstreamIndex = call.path("index").asInt(callIndexes.size());
            JsonNode function = call.path("function");
            String arguments = function.path("arguments").isTextual() ? function.get("arguments").asText() : "";
            Integer index = callIndexes.get(upstreamIndex);
            if (index == null) {
                index = callIndexes.size();
                callIndexes.put(upstreamIndex, index);
                String id = call.path("id").isTextual() && !call.get("id").asText().isEmpty()
                        ? call.get("id").asText() : newCallId();
                String name = function.path("name").isTextual() ? function.get("name").asText() : "";
                out.add(new ModelEvent.ToolCallDelta(index, id, name, arguments));
            } else if (!arguments.isEmpty()) {
                out.add(new ModelEvent.ToolCallDelta(index, null, null, arguments));
            }
        }
    }

    static FinishReason finishReason(String wire) {
        return switch (wire) {
            case "length" -> FinishReason.LENGTH;
            case "tool_calls", "function_call" -> FinishReason.TOOL_CALLS;
            case "content_filter" -> FinishReason.CONTENT_FILTER;
            default -> FinishReason.STOP;
        };
    }

    private static boolean isDone(byte[] data, int length) {
        int from = 0;
        int to = length;
        while (from < to && data[from] == ' ') from++;
        while (to > from && (data[to - 1] == ' ')) to--;
        if (to - from != DONE.length) return false;
        for (int i = 0; i < DONE.length; i++) {
            if (data[from + i] != DONE[i]) return false;
        }
        return true;
    }

    private static String newCallId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        StringBuilder sb = new StringBuilder("call_");
        for (int i = 0; i < 24; i++) sb.append(ID_ALPHABET.charAt(random.nextInt(ID_ALPHABET.length())));
        return sb.toString();
    }
}
