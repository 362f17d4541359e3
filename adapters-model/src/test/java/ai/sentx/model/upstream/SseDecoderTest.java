package ai.sentx.model.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseDecoderTest {
    private static List<String> decode(String stream, int pieceSize) throws IOException {
        byte[] bytes = stream.getBytes(StandardCharsets.UTF_8);
        SseDecoder decoder = new SseDecoder(1024);
        List<String> events = new ArrayList<>();
        for (int at = 0; at < bytes.length; at += pieceSize) {
            decoder.feed(ByteBuffer.wrap(bytes, at, Math.min(pieceSize, bytes.length - at)),
                    (data, length) -> events.add(new String(data, 0, length, StandardCharsets.UTF_8)));
        }
        return events;
    }

    /** The same events whether the bytes come all at once or one by one (splitting CRLF and characters). */
    private static List<String> decodeEveryWay(String stream) throws IOException {
        List<String> whole = decode(stream, Integer.MAX_VALUE);
        for (int size = 1; size <= 7; size++) assertEquals(whole, decode(stream, size), "pieces of " + size);
        return whole;
    }

    @Test
    void dispatchesEachEventsData_onTheBlankLine() throws IOException {
        assertEquals(List.of("{\"a\":1}", "[DONE]"), decodeEveryWay("data: {\"a\":1}\n\ndata: [DONE]\n\n"));
    }

    @Test
    void acceptsLfCrlfAndCrLineEndings() throws IOException {
        assertEquals(List.of("one", "two", "three"), decodeEveryWay("data: one\r\n\r\ndata: two\r\rdata: three\n\n"));
    }

    @Test
    void skipsComments_andIgnoresOtherFields() throws IOException {
        assertEquals(List.of("x"), decodeEveryWay(": keep-alive\n\nevent: message\nid: 7\nretry: 10\ndata: x\n\n"));
        assertEquals(List.of(), decodeEveryWay(": only a comment\n\n"));
    }

    @Test
    void joinsDataLinesWithALineFeed_andTakesOneOptionalSpace() throws IOException {
        assertEquals(List.of("a\nb", " c", "d", ""), decodeEveryWay(
                "data: a\ndata: b\n\ndata:  c\n\ndata:d\n\ndata\n\n"));
    }

    @Test
    void keepsMultiByteCharactersWhole_whateverTheSplit() throws IOException {
        assertEquals(List.of("Grüße 東京 🌊"), decodeEveryWay("data: Grüße 東京 🌊\n\n"));
    }

    @Test
    void dropsAnEventTheStreamEndsInside() throws IOException {
        assertEquals(List.of("done"), decodeEveryWay("data: done\n\ndata: cut sh"));
        assertEquals(List.of(), decodeEveryWay("data: no blank line\n"));
    }

    @Test
    void refusesAnEventLongerThanTheLimit() {
        SseDecoder decoder = new SseDecoder(16);
        assertThrows(IOException.class, () -> decoder.feed(ByteBuffer.wrap(
                ("data: " + "x".repeat(40) + "\n\n").getBytes(StandardCharsets.UTF_8)), (d, n) -> { }));
    }
    @Test
    void inPlaceFeeds_inRandomPieces_decodeAsTheRulesSay() throws IOException {
        java.util.Random random = new java.util.Random(3);
        String[] parts = {"data:", "data: ", "data", "dat", ":", ": keep-alive", "event: x", "id: 7", "retry: 1",
                "{\"a\":\"b\"}", "x".repeat(20), "é", "😀", " ", "\n", "\r\n", "\r", "\n\n", "\r\r", "\r\n\r\n"};
        for (int n = 0; n < 3000; n++) {
            StringBuilder stream = new StringBuilder();
            for (int p = random.nextInt(30); p > 0; p--) stream.append(parts[random.nextInt(parts.length)]);
            byte[] bytes = stream.toString().getBytes(StandardCharsets.UTF_8);
            List<String> expected = reference(stream.toString());
            SseDecoder decoder = new SseDecoder(1024);
            List<String> events = new ArrayList<>();
            for (int at = 0; at < bytes.length; ) {
                int size = Math.min(bytes.length - at, 1 + random.nextInt(40));
                byte[] buffer = new byte[size + 16]; // the piece inside a larger, dirty array
                java.util.Arrays.fill(buffer, (byte) '\n');
                int offset = random.nextInt(8);
                System.arraycopy(bytes, at, buffer, offset, size);
                decoder.feed(buffer, offset, size, (data, length) -> events.add(new String(data, 0, length,
                        StandardCharsets.UTF_8)));
                at += size;
            }
            assertEquals(expected, events, stream.toString());
        }
    }

    /** The WHATWG rules, line by line, for the fields chat streams use. */
    private static List<String> reference(String stream) {
        List<String> events = new ArrayList<>();
        StringBuilder data = null;
        int i = 0;
        while (true) {
            int lf = stream.indexOf('\n', i);
            int cr = stream.indexOf('\r', i);
            int end = lf < 0 ? cr : cr < 0 ? lf : Math.min(lf, cr);
            if (end < 0) break; // an unfinished line is not read
            String line = stream.substring(i, end);
            i = end + (stream.startsWith("\r\n", end) ? 2 : 1);
            if (line.isEmpty()) {
                if (data != null) events.add(data.toString());
                data = null;
            } else if (line.startsWith("data")) {
                String value;
                if (line.length() == 4) value = "";
                else if (line.charAt(4) == ':') value = line.substring(line.length() > 5 && line.charAt(5) == ' ' ? 6 : 5);
                else continue;
                data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
            }
        }
        return events;
    }
}
