package ai.sentx.local.http1;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** The {@code Date} header's value (RFC 9110 §5.6.7), formatted once per second. */
final class HttpDate {
    /** IMF-fixdate: two-digit day, always GMT. */
    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);
    private final Clock clock;
    private volatile Cached cached = new Cached(Long.MIN_VALUE, "");

    private record Cached(long second, String text) {
    }

    HttpDate(Clock clock) {
        this.clock = clock;
    }

    String now() {
        long millis = clock.millis();
        long second = Math.floorDiv(millis, 1000);
        Cached c = cached;
        if (c.second() != second) {
            c = new Cached(second, IMF_FIXDATE.format(Instant.ofEpochSecond(second)));
            cached = c;
        }
        return c.text();
    }
}
