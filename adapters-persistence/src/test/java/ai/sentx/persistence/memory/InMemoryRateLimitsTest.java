package ai.sentx.persistence.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.sentx.port.RateLimits;
import ai.sentx.port.contract.RateLimitsContract;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Runs the {@link RateLimitsContract} on {@link InMemoryRateLimits}, and checks it forgets what expired. */
class InMemoryRateLimitsTest implements RateLimitsContract {
    private static final Instant T = Instant.parse("2026-11-29T19:51:00Z");

    @Override
    public RateLimits newRateLimits() {
        return new InMemoryRateLimits(Clock.systemUTC());
    }

    /** In process, thousands of overlapping calls are cheap and make a missing lock show. */
    @Override
    public int stressOperations() {
        return 20_000;
    }

    @Test
    void startsACounterOver_onceItHasExpired() {
        MutableClock clock = new MutableClock(T);
        // No purge in between: the hit itself must see that the counter expired.
        InMemoryRateLimits limits = new InMemoryRateLimits(clock, Duration.ofDays(1));
        limits.hit("req#key_1#w", 2, T.plusSeconds(60));
        limits.hit("req#key_1#w", 2, T.plusSeconds(60));
        assertEquals(-1, limits.hit("req#key_1#w", 2, T.plusSeconds(60)));

        clock.advance(Duration.ofSeconds(60));

        assertEquals(1, limits.hit("req#key_1#w", 2, T.plusSeconds(120)));
    }

    @Test
    void forgetsExpiredCountersAndLeases_atTheNextPurge() {
        MutableClock clock = new MutableClock(T);
        InMemoryRateLimits limits = new InMemoryRateLimits(clock, Duration.ofSeconds(1));
        for (int i = 0; i < 1_000; i++) {
            limits.hit("req#key_" + i + "#19:51", 60, T.plusSeconds(60));
            limits.acquireLease("streams#key_" + i, "lease_" + i, 5, T, T.plusSeconds(30));
        }
        limits.hit("req#key_live#19:51", 60, T.plusSeconds(3_600));
        assertEquals(1_001, limits.trackedCounters());
        assertEquals(1_000, limits.trackedScopes());

        clock.advance(Duration.ofSeconds(61));
        limits.hit("req#key_0#19:52", 60, clock.instant().plusSeconds(60));

        assertEquals(2, limits.trackedCounters(), "the live counter and the new one");
        assertEquals(0, limits.trackedScopes());
    }

    @Test
    void dropsAScope_whenItsLastLeaseIsReleased() {
        InMemoryRateLimits limits = new InMemoryRateLimits(new MutableClock(T));
        limits.acquireLease("streams#key_1", "lease_1", 5, T, T.plusSeconds(30));

        limits.releaseLease("streams#key_1", "lease_1");

        assertEquals(0, limits.trackedScopes());
    }

    @Test
    void extendsALease_whenItsHolderAcquiresItAgain() {
        InMemoryRateLimits limits = new InMemoryRateLimits(new MutableClock(T));
        limits.acquireLease("streams#key_1", "lease_1", 1, T, T.plusSeconds(30));
        limits.acquireLease("streams#key_1", "lease_1", 1, T.plusSeconds(20), T.plusSeconds(50));

        Instant afterFirstExpiry = T.plusSeconds(40);
        assertFalse(limits.acquireLease("streams#key_1", "lease_2", 1, afterFirstExpiry, afterFirstExpiry.plusSeconds(30)),
                "the renewed lease still holds the only slot");
    }
}
