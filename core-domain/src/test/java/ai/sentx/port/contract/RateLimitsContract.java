package ai.sentx.port.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sentx.port.RateLimits;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * What every {@link RateLimits} must do (CONTRACT §7): fixed-window counters that admit exactly
 * their limit, and leased slots that admit exactly their limit, are freed by release or expiry,
 * and are idempotent on the lease id, however many callers race.
 *
 * <p>Each case uses fresh random counter and scope names, and times near the real clock, so a
 * backing store shared by the cases of one run serves them all.
 */
public interface RateLimitsContract {
    /** The limits to test; they may share a backing store with earlier ones, names never collide. */
    RateLimits newRateLimits();

    /**
     * How many operations each racing thread performs in the storm cases. The default keeps a run
     * against a networked store short; an in-process implementation should raise it to thousands,
     * because on a machine with few cores a missing lock only shows over many overlapping calls.
     */
    default int stressOperations() {
        return 5;
    }

    @Test
    default void countsHitsUpToTheLimit_thenRefuses() {
        RateLimits limits = newRateLimits();
        String counter = aCounter();

        for (long expected = 1; expected <= 5; expected++) {
            assertEquals(expected, limits.hit(counter, 5, windowEnd()));
        }
        assertEquals(-1, limits.hit(counter, 5, windowEnd()));
        assertEquals(-1, limits.hit(counter, 5, windowEnd()), "a refused hit is not counted either");
    }

    @Test
    default void keepsDistinctCountersApart() {
        RateLimits limits = newRateLimits();
        String full = aCounter();
        String other = aCounter();
        limits.hit(full, 2, windowEnd());
        limits.hit(full, 2, windowEnd());

        assertEquals(-1, limits.hit(full, 2, windowEnd()));
        assertEquals(1, limits.hit(other, 2, windowEnd()));
    }

    @Test
    default void startsANewWindowAtOne() {
        RateLimits limits = newRateLimits();
        String key = "req#key_" + UUID.randomUUID() + "#";
        Instant t = now();
        limits.hit(key + "2026-11-29T19:51Z", 2, t.plus(Duration.ofMinutes(1)));
        limits.hit(key + "2026-11-29T19:51Z", 2, t.plus(Duration.ofMinutes(1)));

        assertEquals(1, limits.hit(key + "2026-11-29T19:52Z", 2, t.plus(Duration.ofMinutes(2))));
    }

    @Test
    default void admitsExactlyTheLimit_whenManyHitsRace() {
        RateLimits limits = newRateLimits();
        String counter = aCounter();
        Instant expiresAt = windowEnd();

        List<Long> counts = Race.run(70, i -> limits.hit(counter, 60, expiresAt));

        List<Long> admitted = counts.stream().filter(c -> c >= 0).sorted().toList();
        assertEquals(LongStream.rangeClosed(1, 60).boxed().toList(), admitted, "each count handed out once");
        assertEquals(10, counts.stream().filter(c -> c == -1).count());
    }

    @Test
    default void grantsLeasesUpToTheLimit_thenRefuses() {
        RateLimits limits = newRateLimits();
        String scope = aScope();
        Instant t = now();

        assertTrue(limits.acquireLease(scope, aLease(), 2, t, t.plus(lease())));
        assertTrue(limits.acquireLease(scope, aLease(), 2, t, t.plus(lease())));
        assertFalse(limits.acquireLease(scope, aLease(), 2, t, t.plus(lease())));
    }

    @Test
    default void keepsDistinctScopesApart() {
        RateLimits limits = newRateLimits();
        String full = aScope();
        Instant t = now();
        limits.acquireLease(full, aLease(), 1, t, t.plus(lease()));

        assertFalse(limits.acquireLease(full, aLease(), 1, t, t.plus(lease())));
        assertTrue(limits.acquireLease(aScope(), aLease(), 1, t, t.plus(lease())));
    }

    @Test
    default void freesASlot_whenALeaseIsReleased() {
        RateLimits limits = newRateLimits();
        String scope = aScope();
        Instant t = now();
        String first = aLease();
        limits.acquireLease(scope, first, 1, t, t.plus(lease()));

        limits.releaseLease(scope, first);

        assertTrue(limits.acquireLease(scope, aLease(), 1, t, t.plus(lease())));
    }

    @Test
    default void freesOneSlotOnly_whenTheSameReleaseArrivesTwice() {
        RateLimits limits = newRateLimits();
        String scope = aScope();
        Instant t = now();
        String first = aLease();
        limits.acquireLease(scope, first, 2, t, t.plus(lease()));
        limits.acquireLease(scope, aLease(), 2, t, t.plus(lease()));

        limits.releaseLease(scope, first);
        limits.releaseLease(scope, first);

        assertTrue(limits.acquireLease(scope, aLease(), 2, t, t.plus(lease())));
        assertFalse(limits.acquireLease(scope, aLease(), 2, t, t.plus(lease())), "the second release freed nothing");
    }

    @Test
    default void ignoresTheRelease_ofAnUnknownLease() {
        RateLimits limits = newRateLimits();
        String scope = aScope();
        Instant t = now();
        limits.acquireLease(scope, aLease(), 1, t, t.plus(lease()));

        limits.releaseLease(scope, aLease());
        limits.releaseLease(aScope(), aLease());

        assertFalse(limits.acquireLease(scope, aLease(), 1, t, t.plus(lease())));
    }

    @Test
    default void takesOneSlot_whenTheSameLeaseIsAcquiredTwice() {
        RateLimits limits = newRateLimits();
        String scope = aScope();
        Instant t = now();
        String retried = aLease();

        assertTrue(limits.acquireLease(scope, retried, 2, t, t.plus(lease())));
        assertTrue(limits.acquireLease(scope, retried, 2, t, t.plus(lease())));
        assertTrue(limits.acquireLease(scope, aLease(), 2, t, t.plus(lease())));
        assertFalse(limits.acquireLease(scope, aLease(), 2, t, t.plus(lease())));
        assertTrue(limits.acquireLease(scope, retried, 2, t, t.plus(lease())), "a held lease stays held at the limit");
    }

    @Test
    default void ignoresExpiredLeases() {
        RateLimits limits = newRateLimits();
        String scope = aScope();
        Instant t = now();
        limits.acquireLease(scope, aLease(), 1, t, t.plus(Duration.ofMinutes(1)));
        Instant later = t.plus(Duration.ofMinutes(2));

        assertTrue(limits.acquireLease(scope, aLease(), 1, later, later.plus(lease())));
        assertFalse(limits.acquireLease(scope, aLease(), 1, later, later.plus(lease())));
    }

    @Test
    default void grantsExactlyTheLimit_whenManyAcquisitionsRace() {
        RateLimits limits = newRateLimits();
        String scope = aScope();
        Instant t = now();

        List<Boolean> granted = Race.run(10, i -> limits.acquireLease(scope, "lease_" + i, 5, t, t.plus(lease())));

        assertEquals(5, granted.stream().filter(Boolean::booleanValue).count(), "granted " + granted);
    }

    @Test
    default void handsOutEachCountOnce_underAStormOfHits() {
        RateLimits limits = newRateLimits();
        String counter = aCounter();
        Instant expiresAt = windowEnd();
        int racers = 8;
        int hits = stressOperations();
        int limit = racers * hits / 2;

        List<List<Long>> counts = Race.run(racers, i -> {
            List<Long> mine = new ArrayList<>(hits);
            for (int h = 0; h < hits; h++) mine.add(limits.hit(counter, limit, expiresAt));
            return mine;
        });

        List<Long> admitted = counts.stream().flatMap(List::stream).filter(c -> c >= 0).sorted().toList();
        assertEquals(LongStream.rangeClosed(1, limit).boxed().toList(), admitted, "each count handed out once");
    }

    @Test
    default void neverGrantsMoreThanTheLimit_underAStormOfLeases() {
        RateLimits limits = newRateLimits();
        String scope = aScope();
        Instant t = now();
        int limit = 3;
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger mostInside = new AtomicInteger();

        List<Integer> grants = Race.run(8, i -> {
            int granted = 0;
            for (int round = 0; round < stressOperations(); round++) {
                String id = "lease_" + i + "_" + round;
                if (limits.acquireLease(scope, id, limit, t, t.plus(lease()))) {
                    granted++;
                    mostInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                    // Stay a moment so holders overlap, and leave before giving the slot back, so
                    // "inside" never counts more than is held.
                    Thread.yield();
                    inside.decrementAndGet();
                    limits.releaseLease(scope, id);
                }
            }
            return granted;
        });

        assertTrue(mostInside.get() <= limit, "at most " + limit + " at once, saw " + mostInside.get());
        assertTrue(grants.stream().mapToInt(Integer::intValue).sum() >= limit, "the slots were used");
        for (int i = 0; i < limit; i++) {
            assertTrue(limits.acquireLease(scope, "after_" + i, limit, t, t.plus(lease())), "every slot was given back");
        }
        assertFalse(limits.acquireLease(scope, "after_" + limit, limit, t, t.plus(lease())));
    }

    private static String aCounter() {
        return "req#key_" + UUID.randomUUID() + "#2026-11-29T19:51Z";
    }

    private static String aScope() {
        return "streams#key_" + UUID.randomUUID();
    }

    private static String aLease() {
        return "lease_" + UUID.randomUUID();
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS);
    }

    /** Counters in these cases outlive the case. */
    private static Instant windowEnd() {
        return now().plus(Duration.ofHours(1));
    }

    private static Duration lease() {
        return Duration.ofMinutes(20);
    }
}
