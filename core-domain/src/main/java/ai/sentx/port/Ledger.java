package ai.sentx.port;

import ai.sentx.domain.AccountId;
import ai.sentx.domain.LedgerEntry;
import java.time.Instant;
import java.util.List;

/**
 * Money: immutable entries whose sum is the balance, and holds that reserve part of it while a
 * request runs. Every operation is atomic per account and idempotent on its id; implementations
 * must keep {@code balance - held >= 0} against any concurrency for holds and settlements.
 */
public interface Ledger {
    /** Sum of the account's entries; 0 for an unknown account. */
    long balance(AccountId account);

    /** Balance minus the unexpired holds at {@code now}. */
    long available(AccountId account, Instant now);

    /**
     * Reserves {@code amountCents} if the available balance covers it. Placing the same hold id
     * again returns {@link HoldResult.Placed} without reserving twice.
     */
    HoldResult placeHold(AccountId account, String holdId, long amountCents, Instant now, Instant expiresAt);

    /**
     * Turns the hold into a usage entry with id {@code holdId} and releases it. The charge is
     * {@code costCents} but never more than the balance minus the other holds live at {@code now},
     * so {@code balance - held} cannot go negative. Settling again (or after the sweeper released
     * the hold) changes nothing and returns the amount charged the first time (0 if the hold was
     * released unsettled); settling a hold id never placed charges 0 and records nothing. Entry
     * and hold ids are unique per account.
     *
     * @return the cents actually charged
     */
    long settle(AccountId account, String holdId, long costCents, String reference, Instant now);

    /** Releases a hold without charging. Idempotent. */
    void release(AccountId account, String holdId);

    /**
     * Records a credit, refund, dispute or adjustment. The entry's id makes it idempotent: an id
     * seen before is not applied again.
     *
     * @return true if applied now, false if the id was already there
     */
    boolean post(LedgerEntry entry);

    /** All of the account's entries, oldest first. */
    List<LedgerEntry> entries(AccountId account);

    /** Releases every hold that expired before {@code now}; returns how many. */
    int releaseExpiredHolds(Instant now);

    /** The outcome of {@link #placeHold}. */
    sealed interface HoldResult {
        record Placed() implements HoldResult {
        }

        record Insufficient(long availableCents) implements HoldResult {
        }
    }
}
