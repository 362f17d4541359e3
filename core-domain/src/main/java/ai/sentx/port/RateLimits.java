package ai.sentx.port;

import java.time.Instant;

/**
 * Counters shared by every instance: fixed windows and leased slots. Implementations must be
 * exact under concurrency (never admit more than the limit).
 */
public interface RateLimits {
    /**
     * Counts one hit against {@code counter} (already naming its window, e.g.
     * {@code req#key_1#2026-11-29T19:51Z}) if fewer than {@code limit} were counted.
     *
     * @param expiresAt when the counter may be forgotten
     * @return the count after this hit, or -1 if the limit was already reached
     */
    long hit(String counter, int limit, Instant expiresAt);

    /**
     * Takes one of {@code limit} concurrent slots of {@code scope} for {@code leaseId}, ignoring
     * leases that expired before {@code now}.
     */
    boolean acquireLease(String scope, String leaseId, int limit, Instant now, Instant expiresAt);

    /** Gives the slot back. Idempotent. */
    void releaseLease(String scope, String leaseId);
}
