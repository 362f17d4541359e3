package ai.sentx.domain.payment;

import java.time.Instant;
import java.util.Objects;

/**
 * A checkout session whose payment succeeded: what a webhook or the reconciliation hands to the
 * crediting step.
 *
 * @param sessionId         the provider's session id ({@code cs_...}); names the credit entry
 * @param clientReferenceId the account id the session was created for, or {@code null} when the
 *                          session carries none (then it is not a SentX top-up)
 * @param amountCents       what was paid, in the smallest unit of {@code currency}; never negative
 * @param currency          ISO 4217 code in lower case, as Stripe writes it ({@code usd})
 * @param paymentId         the payment behind the session (Stripe: the PaymentIntent {@code pi_...}),
 *                          or {@code null}; refunds and disputes name it
 * @param created           when the session was created
 */
public record PaidCheckout(String sessionId, String clientReferenceId, long amountCents, String currency,
                           String paymentId, Instant created) {
    public PaidCheckout {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(created, "created");
        if (sessionId.isBlank()) throw new IllegalArgumentException("blank session id");
        if (amountCents < 0) throw new IllegalArgumentException("a paid amount cannot be negative");
    }
}
