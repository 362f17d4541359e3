package ai.sentx.persistence.memory;

import ai.sentx.port.RateLimits;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@link RateLimits} of a single JVM (the local server). Every counter and every lease scope
 * is updated by one atomic {@link ConcurrentHashMap#compute}, so the limits are exact under any
 * concurrency and different counters never wait for each other.
 *
 * <p>Memory stays bounded by what is live: a counter whose {@code expiresAt} has passed on the
 * injected clock starts over at its next hit, and at most once per purge interval the caller of
 * {@link #hit} or {@link #acquireLease} drops every expired counter, expired lease and empty scope.
 * A lease acquired again by its holder keeps its slot and extends to the later expiry.
 */
public final class InMemoryRateLimits implements RateLimits {
    private static final Duration DEFAULT_PURGE_INTERVAL = Duration.ofSeconds(5);

    private final Clock clock;
    private final long purgeIntervalMillis;
    private final AtomicLong nextPurgeMillis;
    private final ConcurrentHashMap<String, Count> counters = new ConcurrentHashMap<>();
    /** Each inner map is only read or changed inside a compute of its scope, which guards it. */
    private final ConcurrentHashMap<String, Map<String, Instant>> leases = new ConcurrentHashMap<>();

    /** @param clock decides when counters have expired and when to purge */
    public InMemoryRateLimits(Clock clock) {
        this(clock, DEFAULT_PURGE_INTERVAL);
    }

    /**
     * @param clock         decides when counters have expired and when to purge
     * @param purgeInterval the least time between two purges of expired state
     */
    public InMemoryRateLimits(Clock clock, Duration purgeInterval) {
        this.clock = Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(purgeInterval, "purgeInterval");
        if (purgeInterval.isNegative()) throw new IllegalArgumentException("negative purge interval");
        this.purgeIntervalMillis = purgeInterval.toMillis();
        this.nextPurgeMillis = new AtomicLong(clock.millis() + purgeIntervalMillis);
    }

    /** {@inheritDoc} A counter is forgotten once the clock reaches its {@code expiresAt}. */
    @Override
    public long hit(String counter, int limit, Instant expiresAt) {
        Objects.requireNonNull(counter, "counter");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Instant now = clock.instant();
        purgeIfDue(now);
        long[] result = new long[1];
        counters.compute(counter, (name, current) -> {
            Count live = current == null || current.expiredAt(now) ? null : current;
            long count = live == null ? 0 : live.value();
            if (count >= limit) {
                result[0] = -1;
                return live;
            }
            result[0] = count + 1;
            Instant until = live == null || expiresAt.isAfter(live.expiresAt()) ? expiresAt : live.expiresAt();
            return new Count(count + 1, until);
        });
        return result[0];
    }

    /** {@inheritDoc} A lease is expired at {@code now} when {@code now} is at or after its expiry. */
    @Override
    public boolean acquireLease(String scope, String leaseId, int limit, Instant now, Instant expiresAt) {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(leaseId, "leaseId");
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(expiresAt, "expiresAt");
        purgeIfDue(clock.instant());
        boolean[] granted = new boolean[1];
        leases.compute(scope, (name, current) -> {
            Map<String, Instant> held = current == null ? new HashMap<>() : current;
            held.values().removeIf(until -> !now.isBefore(until));
            Instant mine = held.get(leaseId);
            if (mine != null) {
                granted[0] = true;
                if (expiresAt.isAfter(mine)) held.put(leaseId, expiresAt);
            } else if (held.size() < limit) {
                granted[0] = true;
                held.put(leaseId, expiresAt);
            }
            return held.isEmpty() ? null : held;
        });
        return granted[0];
    }

    /** {@inheritDoc} */
    @Override
    public void releaseLease(String scope, String leaseId) {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(leaseId, "leaseId");
        leases.computeIfPresent(scope, (name, held) -> {
            held.remove(leaseId);
            return held.isEmpty() ? null : held;
        });
    }

    /** How many counters are kept now, for tests of the purge. */
    int trackedCounters() {
        return counters.size();
    }

    /** How many lease scopes are kept now, for tests of the purge. */
    int trackedScopes() {
        return leases.size();
    }

    private void purgeIfDue(Instant now) {
        long due = nextPurgeMillis.get();
        long nowMillis = now.toEpochMilli();
        if (nowMillis < due || !nextPurgeMillis.compareAndSet(due, nowMillis + purgeIntervalMillis)) return;
        // removeIf on the entry set removes an entry only if it still holds the value tested, so a
        // counter renewed meanwhile survives.
        counters.entrySet().removeIf(e -> e.getValue().expiredAt(now));
        for (String scope : leases.keySet()) {
            leases.computeIfPresent(scope, (name, held) -> {
                held.values().removeIf(until -> !now.isBefore(until));
                return held.isEmpty() ? null : held;
            });
        }
    }

    private record Count(long value, Instant expiresAt) {
        boolean expiredAt(Instant now) {
            return !now.isBefore(expiresAt);
        }
    }
}
