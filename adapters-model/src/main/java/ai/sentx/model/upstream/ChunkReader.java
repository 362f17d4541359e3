package ai.sentx.model.upstream;

import ai.sentx.domain.chat.FinishReason;
import ai.sentx.port.ModelBackendException;
import ai.sentx.port.ModelEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
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
    private final Map<Integer, Integer> callIndexes = new HashMap<>(4);
    private FinishReason finish;
    private RelayStream.Usage usage;
    private boolean done;
    private boolean generating;

    ChunkReader(ObjectMapper json) {
        this.json = json;
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
        JsonNode chunk = json.readTree(data, 0, length);
        if (chunk == null || !chunk.isObject()) throw new IOException("a stream event is not a JSON object");
        JsonNode error = chunk.get("error");
        if (error != null && !error.isNull()) {
            done = true;
            out.add(UpstreamFailures.errorEvent(error));
            return;
        }
        JsonNode u = chunk.get("usage");
        if (u != null && u.isObject()) {
            usage = new RelayStream.Usage(u.path("prompt_tokens").asLong(0), u.path("completion_tokens").asLong(0));
        }
        JsonNode choices = chunk.get("choices");
        if (choices == null || !choices.isArray()) return;
        for (JsonNode choice : choices) {
            if (choice.path("index").asInt(0) != 0) continue;
            JsonNode delta = choice.get("delta");
            if (delta != null && delta.isObject()) delta(delta, out);
            JsonNode reason = choice.get("finish_reason");
            if (reason != null && reason.isTextual()) finish = finishReason(reason.asText());
        }
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

    private void delta(JsonNode delta, List<Object> out) {
        String content = text(delta.get("content"));
        if (content == null) content = text(delta.get("refusal"));
        if (content != null) {
            generating = true;
            out.add(new ModelEvent.TextDelta(content));
        }
        if (text(delta.get("reasoning_content")) != null || text(delta.get("reasoning")) != null) generating = true;
        JsonNode calls = delta.get("tool_calls");
        if (calls == null || !calls.isArray()) return;
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

    private static String text(JsonNode node) {
        return node != null && node.isTextual() && !node.asText().isEmpty() ? node.asText() : null;
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
