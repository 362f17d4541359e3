package ai.sentx.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * One immutable movement of money, keyed by a unique id; an account's balance is the sum of its
 * entries' {@code amountCents}.
 *
 * @param amountCents positive for credits, negative for charges and debits
 * @param reference   what caused it (a request id, a Stripe session or charge id); may be empty
 */
public record LedgerEntry(String id, AccountId accountId, Kind kind, long amountCents, String reference, Instant at) {
    /** What moved the money. */
    public enum Kind { CREDIT, USAGE, REFUND, DISPUTE, ADJUSTMENT }

    public LedgerEntry {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(at, "at");
        if (id.isBlank()) throw new IllegalArgumentException("blank entry id");
    }
}
