package ai.sentx.sse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SseFramesTest {

    @Test
    void dataEventsAreOneLineFollowedByABlankLine() {
        assertEquals("data: {\"a\":\"é\"}\n\n", new String(SseFrames.data("{\"a\":\"é\"}"), StandardCharsets.UTF_8));
    }

    @Test
    void theStreamEndsWithDone() {
        assertEquals("data: [DONE]\n\n", new String(SseFrames.DONE, StandardCharsets.US_ASCII));
    }

    @Test
    void keepAliveIsACommentLine() {
        assertEquals(": keep-alive\n\n", new String(SseFrames.KEEP_ALIVE, StandardCharsets.US_ASCII));
    }

    @Test
    void aPayloadWithALineBreakWouldSplitTheEventAndIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> SseFrames.data("{\"a\":1}\ndata: x"));
        assertThrows(IllegalArgumentException.class, () -> SseFrames.data("{\"a\":1}\r"));
    }
}
