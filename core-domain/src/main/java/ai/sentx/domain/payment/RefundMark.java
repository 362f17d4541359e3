package ai.sentx.domain.payment;

import ai.sentx.domain.LedgerEntry;
import java.util.Objects;

/**
 * How much of one charge's refunds the ledger has debited, and the entry that debited the last
 * step. Stripe reports refunds as a cumulative total ({@code amount_refunded}); each new, higher
 * total is debited by its difference to this mark, and the mark moves atomically, so partial,
 * repeated, reordered and concurrent refund events debit the highest total exactly once.
 *
 * @param refundedCents the cumulative refunded total already debited; positive
 * @param lastStep      the ledger entry that debited the step up to {@code refundedCents}; it is
 *                      posted again (idempotently) before the mark moves on, so a crash between
 *                      moving the mark and posting the entry cannot lose the debit
 */
public record RefundMark(long refundedCents, LedgerEntry lastStep) {
    public RefundMark {
        Objects.requireNonNull(lastStep, "lastStep");
        if (refundedCents <= 0) throw new IllegalArgumentException("a refund mark is positive");
    }
}
