package ai.sentx.domain.payment;

import ai.sentx.domain.Failure;
import ai.sentx.domain.FailureException;
import ai.sentx.domain.Problem;

/**
 * The rules of prepaid credit (CONTRACT §6, §9): top-ups are USD, between $5 and $1,000, and
 * every movement of payment money has a ledger entry id derived from the provider's own object id,
 * so that the same money can never move twice.
 *
 * <ul>
 *   <li>{@code topup_<session id>}: the credit of a paid checkout session, whichever event
 *       (completed, async success, reconciliation) brings it, and however often;</li>
 *   <li>{@code refund_<charge id>_<refunded total>}: the step from the previous refunded total of
 *       the charge to this one (see {@link RefundMark});</li>
 *   <li>{@code dispute_<dispute id>} and {@code dispute_reversed_<dispute id>}: a dispute's debit
 *       and, when it is won, its return.</li>
 * </ul>
 */
public final class TopUps {
    /** The smallest top-up: $5. */
    public static final long MIN_CENTS = 500;
    /** The largest top-up: $1,000. */
    public static final long MAX_CENTS = 100_000;
    /** The only currency credited. */
    public static final String CURRENCY = "usd";

    private TopUps() {
    }

    /**
     * Checks a requested top-up amount.
     *
     * @throws FailureException {@code INVALID_PARAMETER} naming {@code amount_cents} outside 500..100000
     */
    public static long requireValidAmount(long amountCents) {
        if (amountCents < MIN_CENTS || amountCents > MAX_CENTS) {
            throw Failure.of(Problem.INVALID_PARAMETER, "amount_cents must be a whole number of cents from "
                    + MIN_CENTS + " ($5.00) to " + MAX_CENTS + " ($1,000.00).", "amount_cents").exception();
        }
        return amountCents;
    }

    /** The id of the credit entry of checkout session {@code sessionId}. */
    public static String creditEntryId(String sessionId) {
        return "topup_" + sessionId;
    }

    /** The id of the entry that debits charge {@code chargeId}'s refunds up to {@code refundedCents}. */
    public static String refundEntryId(String chargeId, long refundedCents) {
        return "refund_" + chargeId + "_" + refundedCents;
    }

    /** The id of the debit of dispute {@code disputeId}. */
    public static String disputeEntryId(String disputeId) {
        return "dispute_" + disputeId;
    }

    /** The id of the credit that returns dispute {@code disputeId}'s amount when it is won. */
    public static String disputeReversalEntryId(String disputeId) {
        return "dispute_reversed_" + disputeId;
    }

    /**
     * Whether {@code value} can name an account (Stripe's {@code client_reference_id} or metadata):
     * 1..200 characters, not blank, no control characters (it is written to logs).
     */
    public static boolean isAccountRef(String value) {
        return value != null && !value.isBlank() && value.length() <= 200
                && value.chars().noneMatch(Character::isISOControl);
    }
}
