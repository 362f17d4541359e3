package ai.sentx.application;

import ai.sentx.domain.AccountId;
import ai.sentx.domain.FailureException;
import ai.sentx.domain.payment.CheckoutSession;
import ai.sentx.domain.payment.TopUps;
import ai.sentx.port.Payments;
import ai.sentx.port.PaymentsException;
import java.util.Objects;

/**
 * Starts a top-up (CONTRACT §9, {@code POST /account/topups}): a checkout page where the account
 * pays 500..100000 US cents. Nothing is credited here; the paid session is credited by its
 * webhook or, failing that, by the reconciliation.
 */
public final class StartTopUp {
    private final Payments payments;

    public StartTopUp(Payments payments) {
        this.payments = Objects.requireNonNull(payments, "payments");
    }

    /**
     * @throws FailureException {@code INVALID_PARAMETER} (param {@code amount_cents}) outside
     *                          500..100000; {@code PAYMENTS_NOT_CONFIGURED} without a Stripe key;
     *                          {@code PAYMENTS_UNAVAILABLE} when Stripe fails
     */
    public CheckoutSession start(AccountId account, long amountCents) {
        Objects.requireNonNull(account, "account");
        TopUps.requireValidAmount(amountCents);
        try {
            return payments.createCheckout(account, amountCents);
        } catch (PaymentsException e) {
            throw PaymentFailures.of(e);
        }
    }
}
