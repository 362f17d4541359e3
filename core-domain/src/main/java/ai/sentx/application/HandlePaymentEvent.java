package ai.sentx.application;

import ai.sentx.domain.Failure;
import ai.sentx.domain.FailureException;
import ai.sentx.domain.Problem;
import ai.sentx.domain.payment.PaymentEvent;
import ai.sentx.port.Accounts;
import ai.sentx.port.Ledger;
import ai.sentx.port.PaymentEvents;
import ai.sentx.port.Payments;
import ai.sentx.port.PaymentsException;
import java.time.Clock;
import java.util.Objects;

/**
 * Handles one payment provider notification ({@code POST /webhooks/stripe}, CONTRACT §9): verify
 * the signature over the exact bytes, read the event, then credit a paid checkout session, debit a
 * refund or dispute, or ignore it, each exactly once.
 *
 * <p>Idempotent twice over: on the event id ({@link PaymentEvents#markHandled}, written only after
 * the effects, so a crash is retried rather than skipped), and on the session, charge and dispute
 * ids that name the ledger entries, so the same session under two event ids, two deliveries racing
 * each other, or an event and the reconciliation all move the money once.
 */
public final class HandlePaymentEvent {
    private final Payments payments;
    private final PaymentEvents events;
    private final Credits credits;
    private final Clock clock;

    public HandlePaymentEvent(Payments payments, PaymentEvents events, Ledger ledger, Accounts accounts, Clock clock) {
        this.payments = Objects.requireNonNull(payments, "payments");
        this.events = Objects.requireNonNull(events, "events");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.credits = new Credits(Objects.requireNonNull(ledger, "ledger"), Objects.requireNonNull(accounts, "accounts"),
                events, clock);
    }

    /** What the notification did. Every outcome is a success for the sender (HTTP 200). */
    public enum Outcome {
        /** Money was credited (a paid top-up, a won dispute). */
        CREDITED,
        /** Money was debited (a refund, a dispute). */
        DEBITED,
        /** This event, or another carrying the same session, charge step or dispute, was applied before. */
        DUPLICATE,
        /** A refund or dispute whose payment is not credited yet; the credit will apply it. */
        PARKED,
        /** Nothing to do: an unhandled type, an unpaid session, another currency, an unknown account. */
        IGNORED
    }

    /** @param detail safe to log and return: ids and amounts, no secrets, no personal data */
    public record Result(String eventId, String type, Outcome outcome, String detail) {
    }

    /**
     * @param payload         the request body exactly as received
     * @param signatureHeader the {@code Stripe-Signature} header, or {@code null}
     * @throws FailureException {@code INVALID_SIGNATURE} for a missing, wrong or stale signature
     *                          (nothing changes); {@code INVALID_PARAMETER} for a signed event that
     *                          cannot be read; {@code PAYMENTS_NOT_CONFIGURED} without a webhook secret
     */
    public Result handle(byte[] payload, String signatureHeader) {
        Objects.requireNonNull(payload, "payload");
        Payments.Delivery delivery;
        try {
            delivery = payments.readEvent(payload, signatureHeader);
        } catch (PaymentsException e) {
            throw PaymentFailures.of(e);
        }
        PaymentEvent event = switch (delivery) {
            case Payments.Delivery.Forged f -> throw Failure.of(Problem.INVALID_SIGNATURE,
                    "The Stripe-Signature header does not verify: " + f.reason()).exception();
            case Payments.Delivery.Unreadable u -> throw Failure.of(Problem.INVALID_PARAMETER,
                    "The event is signed but cannot be read: " + u.reason()).exception();
            case Payments.Delivery.Verified v -> v.event();
        };
        if (events.handled(event.id())) {
            return new Result(event.id(), event.type(), Outcome.DUPLICATE, "event " + event.id() + " was handled before");
        }
        Credits.Result r = switch (event) {
            case PaymentEvent.CheckoutPaid paid -> credits.credit(paid.checkout());
            case PaymentEvent.ChargeEvent charge -> credits.charge(charge);
            case PaymentEvent.Ignored ignored -> new Credits.Result(Credits.Effect.IGNORED, ignored.reason());
        };
        events.markHandled(event.id(), event.type(), clock.instant());
        Outcome outcome = switch (r.effect()) {
            case CREDITED -> Outcome.CREDITED;
            case DEBITED -> Outcome.DEBITED;
            case ALREADY_APPLIED -> Outcome.DUPLICATE;
            case PARKED -> Outcome.PARKED;
            case IGNORED -> Outcome.IGNORED;
        };
        return new Result(event.id(), event.type(), outcome, r.detail());
    }
}
