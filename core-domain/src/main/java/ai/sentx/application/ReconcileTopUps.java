package ai.sentx.application;

import ai.sentx.domain.FailureException;
import ai.sentx.domain.payment.PaidCheckout;
import ai.sentx.port.Accounts;
import ai.sentx.port.Ledger;
import ai.sentx.port.PaymentEvents;
import ai.sentx.port.Payments;
import ai.sentx.port.PaymentsException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Credits paid top-ups whose webhook never arrived (CONTRACT §9; issue 6, item 4): lists the
 * checkout sessions paid within the look-back window and credits each through the same step as the
 * webhook, so a session already credited, by either path, is not credited again. Run on a
 * schedule; safe to run concurrently with webhooks and with itself.
 */
public final class ReconcileTopUps {
    private static final System.Logger LOG = System.getLogger(ReconcileTopUps.class.getName());
    private final Payments payments;
    private final Credits credits;
    private final Clock clock;
    private final Duration lookBack;

    /** @param lookBack how far back to list sessions; positive (a week covers Stripe's 3-day retries) */
    public ReconcileTopUps(Payments payments, PaymentEvents events, Ledger ledger, Accounts accounts, Clock clock,
                           Duration lookBack) {
        this.payments = Objects.requireNonNull(payments, "payments");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.lookBack = Objects.requireNonNull(lookBack, "lookBack");
        if (lookBack.isNegative() || lookBack.isZero()) throw new IllegalArgumentException("lookBack must be positive");
        this.credits = new Credits(Objects.requireNonNull(ledger, "ledger"), Objects.requireNonNull(accounts, "accounts"),
                Objects.requireNonNull(events, "events"), clock);
    }

    /**
     * @param paid     paid sessions listed
     * @param credited of them, credited by this run (a webhook had not)
     * @param failed   of them, not credited because storing failed; the next run tries them again
     */
    public record Report(int paid, int credited, int failed) {
    }

    /**
     * @throws FailureException {@code PAYMENTS_NOT_CONFIGURED} without a Stripe key;
     *                          {@code PAYMENTS_UNAVAILABLE} when Stripe fails (nothing is lost: the
     *                          next run lists the same sessions)
     */
    public Report reconcile() {
        List<PaidCheckout> paid;
        try {
            paid = payments.paidCheckoutsSince(clock.instant().minus(lookBack));
        } catch (PaymentsException e) {
            throw PaymentFailures.of(e);
        }
        int credited = 0;
        int failed = 0;
        for (PaidCheckout checkout : paid) {
            try {
                if (credits.credit(checkout).effect() == Credits.Effect.CREDITED) credited++;
            } catch (RuntimeException e) {
                // One session that cannot be stored must not hold back the others.
                failed++;
                LOG.log(System.Logger.Level.WARNING, "could not credit checkout session " + checkout.sessionId()
                        + ": " + e.getClass().getName());
            }
        }
        return new Report(paid.size(), credited, failed);
    }
}
