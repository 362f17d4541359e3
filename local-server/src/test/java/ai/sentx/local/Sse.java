package ai.sentx.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A strict reader of a whole SSE body as OPENAI-WIRE.md allows it: only {@code data: <json>\n\n}
 * events and {@code :} comments, ending exactly with {@code data: [DONE]\n\n}.
 *
 * @param chunks   the JSON payloads of the data events, in order, without {@code [DONE]}
 * @param comments the comment lines, in order
 */
record Sse(List<JsonNode> chunks, List<String> comments) {

    static Sse parse(String body) {
        assertTrue(body.endsWith("data: [DONE]\n\n"), () -> "ends exactly with data: [DONE]\\n\\n: " + tail(body));
        assertFalse(body.contains("\r"), "no CR in SSE framing");
        String[] blocks = body.split("\n\n", -1);
        assertEquals("", blocks[blocks.length - 1], "body ends with a blank line");
        List<JsonNode> chunks = new ArrayList<>();
        List<String> comments = new ArrayList<>();
        int done = 0;
        for (int i = 0; i < blocks.length - 1; i++) {
            String block = blocks[i];
            assertFalse(block.contains("\n"), () -> "one line per event: " + block);
            if (block.startsWith(":")) {
                comments.add(block);
                continue;
            }
            for (String field : List.of("event:", "id:", "retry:")) {
                assertFalse(block.startsWith(field), () -> "no " + field + " lines: " + block);
            }
            assertTrue(block.startsWith("data: "), () -> "a data event: " + block);
            String payload = block.substring("data: ".length());
            if (payload.equals("[DONE]")) {
                done++;
                assertEquals(blocks.length - 2, i, "[DONE] is the last event");
            } else {
                chunks.add(Api.parse(payload));
            }
        }
        assertEquals(1, done, "exactly one [DONE]");
        return new Sse(chunks, comments);
    }

    /** The concatenated {@code delta.content} of every chunk. */
    String text() {
        StringBuilder sb = new StringBuilder();
        for (JsonNode c : chunks) {
            JsonNode choices = c.get("choices");
            if (choices == null || choices.isEmpty()) continue;
            JsonNode content = choices.get(0).get("delta").get("content");
            if (content != null && !content.isNull()) sb.append(content.asText());
        }
        return sb.toString();
    }

    JsonNode last() {
        return chunks.getLast();
    }

    private static String tail(String s) {
        return s.length() <= 300 ? s : "..." + s.substring(s.length() - 300);
    }
}
