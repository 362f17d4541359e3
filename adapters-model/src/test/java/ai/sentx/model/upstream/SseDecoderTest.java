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
}
