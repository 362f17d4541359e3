package ai.sentx.port;

import ai.sentx.domain.AccountId;
import ai.sentx.domain.payment.CheckoutSession;
import ai.sentx.domain.payment.PaidCheckout;
import ai.sentx.domain.payment.PaymentEvent;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The payment provider (Stripe): hosted checkout pages for top-ups, the list of paid ones for
 * reconciliation, and its signed event notifications. Nothing of the provider's SDK or wire format
 * leaves the implementation.
 */
public interface Payments {
    /**
     * Creates a one-time checkout page where {@code account} pays {@code amountCents} US cents. The
     * page names the account (Stripe: {@code client_reference_id}) so the payment can be credited.
     *
     * @param amountCents already validated (500..100000)
     * @throws PaymentsException {@code NOT_CONFIGURED} without an API key; {@code UNAVAILABLE} when
     *                           the provider fails or refuses
     */
    CheckoutSession createCheckout(AccountId account, long amountCents) throws PaymentsException;

    /**
     * Every checkout session created at or after {@code since} whose payment has succeeded, in any
     * order, following the provider's pages to the end.
     *
     * @throws PaymentsException {@code NOT_CONFIGURED} without an API key; {@code UNAVAILABLE} when
     *                           the provider fails
     */
    List<PaidCheckout> paidCheckoutsSince(Instant since) throws PaymentsException;

    /**
     * Verifies a notification's signature over its exact bytes and, if genuine and fresh, reads
     * it. Never throws for anything the sender controls.
     *
     * @param payload         the request body exactly as received
     * @param signatureHeader the signature header (Stripe: {@code Stripe-Signature}), or {@code null}
     * @throws PaymentsException {@code NOT_CONFIGURED} when no endpoint secret is configured, so no
     *                           notification can be trusted
     */
    Delivery readEvent(byte[] payload, String signatureHeader) throws PaymentsException;

    /** What {@link #readEvent} found. */
    sealed interface Delivery {
        /** Signed with a configured secret, within the time tolerance, and readable. */
        record Verified(PaymentEvent event) implements Delivery {
            public Verified {
                Objects.requireNonNull(event, "event");
            }
        }

        /**
         * Missing, malformed, wrong or stale signature: not from the provider, or replayed.
         *
         * @param reason safe to show; never echoes the header or a secret
         */
        record Forged(String reason) implements Delivery {
            public Forged {
                Objects.requireNonNull(reason, "reason");
            }
        }

        /**
         * Genuinely signed, but not a notification this code can read (not JSON, a required field
         * missing, an amount that is negative or does not fit in a {@code long}).
         *
         * @param reason safe to show
         */
        record Unreadable(String reason) implements Delivery {
            public Unreadable {
                Objects.requireNonNull(reason, "reason");
            }
        }
    }
}
