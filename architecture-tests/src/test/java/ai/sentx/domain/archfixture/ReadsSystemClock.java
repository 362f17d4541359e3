package ai.sentx.domain.archfixture;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.function.Supplier;

/** Fixture: core code that reads the system clock. Breaks {@code CORE_DOES_NOT_READ_THE_SYSTEM_CLOCK}. */
public final class ReadsSystemClock {

    public Instant instantNow() {
        return Instant.now();
    }

    public LocalDateTime localDateTimeNow() {
        return LocalDateTime.now();
    }

    public LocalDateTime localDateTimeNowInZone() {
        return LocalDateTime.now(ZoneOffset.UTC);
    }

    public long currentTimeMillis() {
        return System.currentTimeMillis();
    }

    public Clock systemUtc() {
        return Clock.systemUTC();
    }

    public Supplier<Instant> instantNowReference() {
        return Instant::now;
    }
}
