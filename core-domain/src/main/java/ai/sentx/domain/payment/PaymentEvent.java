package ai.sentx.domain.payment;

import java.util.Objects;

/**
 * A verified notification from the payment provider, reduced to what moves money. Amounts are in
 * the smallest unit of their currency and never negative; ids are never blank.
 */
public sealed interface PaymentEvent {
    /** The provider's event id ({@code evt_...}). */
    String id();

    /** The provider's event type ({@code checkout.session.completed}). */
    String type();

    /**
     * A checkout session was paid: credit it ({@code checkout.session.completed} when paid, or
     * {@code checkout.session.async_payment_succeeded}).
     */
    record CheckoutPaid(String id, String type, PaidCheckout checkout) implements PaymentEvent {
        public CheckoutPaid {
            requireIds(id, type);
            Objects.requireNonNull(checkout, "checkout");
        }
    }

    /**
     * An event about money that already arrived and is (partly) going back: a refund or a
     * dispute. It names the payment ({@code pi_...}) that the credit recorded, so the account can
     * be found even when the event itself does not say it.
     */
    sealed interface ChargeEvent extends PaymentEvent {
        /** The payment (Stripe PaymentIntent) the charge belongs to, or {@code null}. */
        String paymentId();

        /** The account written on the charge by SentX (Stripe metadata), or {@code null}. */
        String accountRef();

        /** ISO 4217 code in lower case. */
        String currency();
    }

    /**
     * A charge was refunded ({@code charge.refunded}).
     *
     * @param refundedCents the charge's refunded total so far (Stripe's cumulative
     *                      {@code amount_refunded}), not this refund's amount
     */
    record ChargeRefunded(String id, String type, String chargeId, String paymentId, String accountRef,
                          long refundedCents, String currency) implements ChargeEvent {
        public ChargeRefunded {
            requireIds(id, type);
            requireId(chargeId, "chargeId");
            Objects.requireNonNull(currency, "currency");
            if (refundedCents < 0) throw new IllegalArgumentException("a refunded total cannot be negative");
        }
    }

    /** The cardholder disputed a charge ({@code charge.dispute.created}): the amount is taken back. */
    record DisputeOpened(String id, String type, String disputeId, String chargeId, String paymentId,
                         String accountRef, long amountCents, String currency) implements ChargeEvent {
        public DisputeOpened {
            requireIds(id, type);
            requireId(disputeId, "disputeId");
            Objects.requireNonNull(currency, "currency");
            if (amountCents < 0) throw new IllegalArgumentException("a disputed amount cannot be negative");
        }
    }

    /**
     * A dispute closed in the merchant's favour ({@code charge.dispute.closed} with status
     * {@code won} or {@code warning_closed}): the disputed amount comes back.
     */
    record DisputeReversed(String id, String type, String disputeId, String chargeId, String paymentId,
                           String accountRef, long amountCents, String currency) implements ChargeEvent {
        public DisputeReversed {
            requireIds(id, type);
            requireId(disputeId, "disputeId");
            Objects.requireNonNull(currency, "currency");
            if (amountCents < 0) throw new IllegalArgumentException("a disputed amount cannot be negative");
        }
    }

    /**
     * An event that moves no money here: an unknown type, a session not yet paid, a dispute lost.
     *
     * @param reason why, safe to log and to return (no secrets, no personal data)
     */
    record Ignored(String id, String type, String reason) implements PaymentEvent {
        public Ignored {
            requireIds(id, type);
            Objects.requireNonNull(reason, "reason");
        }
    }

    private static void requireIds(String id, String type) {
        requireId(id, "id");
        requireId(type, "type");
    }

    private static void requireId(String value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isBlank()) throw new IllegalArgumentException("blank " + name);
    }
}
