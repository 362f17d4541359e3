package ai.sentx.port;

import ai.sentx.domain.AccountId;
import ai.sentx.domain.payment.PaymentEvent;
import ai.sentx.domain.payment.RefundMark;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What payment handling remembers besides the ledger. The ledger's entry ids already make every
 * movement of money idempotent (see {@link ai.sentx.domain.payment.TopUps}); this store adds what
 * they cannot: which events were handled, which account paid through which payment, how far each
 * charge's refunds have been debited, and refunds or disputes that arrived before the payment
 * they belong to was credited. Every operation is atomic; ids are never blank.
 */
public interface PaymentEvents {
    /** Whether {@link #markHandled} recorded {@code eventId}. */
    boolean handled(String eventId);

    /**
     * Records that {@code eventId} was handled to the end. Call it only after the event's effects
     * are stored, so a crash in between makes the provider's retry redo (idempotent) work instead
     * of skipping it.
     *
     * @return true if recorded now, false if it was already there
     */
    boolean markHandled(String eventId, String type, Instant at);

    /** The account recorded as the payer of {@code paymentId}, or empty. */
    Optional<AccountId> payer(String paymentId);

    /**
     * Records {@code account} as the payer of {@code paymentId}. The first record stays: a later
     * call with another account changes nothing.
     *
     * @return the recorded payer
     */
    AccountId recordPayer(String paymentId, AccountId account);

    /** How far {@code chargeId}'s refunds are debited; empty before the first refund. */
    Optional<RefundMark> refundMark(String chargeId);

    /**
     * Moves {@code chargeId}'s mark to {@code next} if it still stands at {@code expectedCents}
     * (0 meaning no mark yet); a compare-and-set, so of two racing moves from the same mark only
     * one succeeds.
     *
     * @return true if moved; false if the mark was elsewhere
     * @throws IllegalArgumentException if {@code next} is not above {@code expectedCents}
     */
    boolean advanceRefundMark(String chargeId, long expectedCents, RefundMark next);

    /**
     * Keeps {@code event} until {@code paymentId}'s payer is known. Parking the same event id
     * again changes nothing.
     */
    void park(String paymentId, PaymentEvent.ChargeEvent event);

    /** The events parked for {@code paymentId}, in the order first parked; they stay parked. */
    List<PaymentEvent.ChargeEvent> parked(String paymentId);
}
