package ai.sentx.domain;

import java.time.Duration;
import java.time.Instant;

/**
 * A fixed counting window aligned to UTC boundaries (a minute, an hour).
 *
 * @param start inclusive start
 * @param end   exclusive end: when the next window starts
 */
public record Window(Instant start, Instant end) {
    public static Window containing(Instant now, Duration length) {
        long ms = length.toMillis();
        long startMs = Math.floorDiv(now.toEpochMilli(), ms) * ms;
        return new Window(Instant.ofEpochMilli(startMs), Instant.ofEpochMilli(startMs + ms));
    }

    /** Whole seconds until the window ends, at least 1 (for {@code Retry-After}). */
    public long secondsUntilEnd(Instant now) {
        long ms = Duration.between(now, end).toMillis();
        return Math.max(1, (ms + 999) / 1000);
    }
}
