package ai.sentx.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class LimitsTest {

    @Test
    void defaultsAreThePublishedLimits() {
        Limits l = Limits.defaults();
        assertEquals(60, l.requestsPerMinute());
        assertEquals(5, l.streamsPerKey());
        assertEquals(5, l.keyCreationsPerHour());
        assertEquals(25, l.maxActiveKeys());
        assertEquals(16_384, l.maxOutputTokens());
        assertEquals(2_000, Limits.SYSTEM_TEXT_MAX_CODE_POINTS);
        assertEquals(10 * 1024 * 1024, Limits.INLINE_IMAGE_MAX_BYTES);
    }

    @Test
    void operatorOverridesReplaceOneLimitEach() {
        Limits l = Limits.defaults().withRequestsPerMinute(1000).withStreamsPerKey(50);
        assertEquals(1000, l.requestsPerMinute());
        assertEquals(50, l.streamsPerKey());
        assertEquals(5, l.keyCreationsPerHour());
    }

    @Test
    void nonPositiveLimitsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Limits.defaults().withRequestsPerMinute(0));
        assertThrows(IllegalArgumentException.class, () -> Limits.defaults().withMaxActiveKeys(-1));
    }

    @ParameterizedTest(name = "{0} is in the minute [{1}, {2}) and {3} s remain")
    @CsvSource({
            "2026-11-29T19:51:00Z, 2026-11-29T19:51:00Z, 2026-11-29T19:52:00Z, 60",
            "2026-11-29T19:51:00.001Z, 2026-11-29T19:51:00Z, 2026-11-29T19:52:00Z, 60",
            "2026-11-29T19:51:59.999Z, 2026-11-29T19:51:00Z, 2026-11-29T19:52:00Z, 1",
            "2026-11-29T19:51:30Z, 2026-11-29T19:51:00Z, 2026-11-29T19:52:00Z, 30",
            "2026-11-29T23:59:59.500Z, 2026-11-29T23:59:00Z, 2026-11-30T00:00:00Z, 1"
    })
    void minuteWindowsAreAlignedToUtcBoundaries(String now, String start, String end, long remaining) {
        Window w = Window.containing(Instant.parse(now), Duration.ofMinutes(1));
        assertEquals(Instant.parse(start), w.start());
        assertEquals(Instant.parse(end), w.end());
        assertEquals(remaining, w.secondsUntilEnd(Instant.parse(now)));
    }

    @Test
    void hourWindowsAreAlignedToUtcHours() {
        Window w = Window.containing(Instant.parse("2026-11-29T19:51:12Z"), Duration.ofHours(1));
        assertEquals(Instant.parse("2026-11-29T19:00:00Z"), w.start());
        assertEquals(Instant.parse("2026-11-29T20:00:00Z"), w.end());
    }
}
