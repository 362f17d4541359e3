package ai.sentx.application;

import ai.sentx.domain.AccountId;
import ai.sentx.domain.LedgerEntry;
import ai.sentx.domain.payment.PaidCheckout;
import ai.sentx.domain.payment.PaymentEvent.ChargeEvent;
import ai.sentx.domain.payment.PaymentEvent.ChargeRefunded;
import ai.sentx.domain.payment.PaymentEvent.DisputeOpened;
import ai.sentx.domain.payment.PaymentEvent.DisputeReversed;
import ai.sentx.domain.payment.RefundMark;
import ai.sentx.domain.payment.TopUps;
import ai.sentx.port.Accounts;
import ai.sentx.port.Ledger;
import ai.sentx.port.PaymentEvents;
import java.time.Clock;
import java.util.Optional;

/**
 * Moves payment money in and out of the ledger, exactly once whatever the number, order and
 * concurrency of the notifications: every entry id comes from the provider's object ids
 * ({@link TopUps}), so repeating any step changes nothing. Shared by the webhook and the
 * reconciliation.
 *
 * <p>A refund or dispute is debited from the account the credit recorded as the payment's payer,
 * else from the account written on the charge. When neither is known yet (the refund overtook the
 * credit), the event is parked under its payment; the credit applies it when it records the payer.
 * Both sides write first and read second (credit: record payer, then read parked; refund: park,
 * then read payer), so whichever runs last sees the other and nothing is left parked unapplied.
 */
final class Credits {
    private static final System.Logger LOG = System.getLogger(Credits.class.getName());
    /** Racing refund events of one charge retry the mark this often before giving up (a 500: the provider retries). */
    private static final int MARK_ATTEMPTS = 64;

    private final Ledger ledger;
    private final Accounts accounts;
    private final PaymentEvents events;
    private final Clock clock;

    Credits(Ledger ledger, Accounts accounts, PaymentEvents events, Clock clock) {
        this.ledger = ledger;
        this.accounts = accounts;
        this.events = events;
        this.clock = clock;
    }

    /** What one application did. */
    enum Effect { CREDITED, DEBITED, ALREADY_APPLIED, PARKED, IGNORED }

    /** @param detail what happened, safe to log and return (ids only, no personal data) */
    record Result(Effect effect, String detail) {
    }

    /** Credits a paid checkout session to the account it names, once; then applies what was parked for its payment. */
    Result credit(PaidCheckout checkout) {
        String session = checkout.sessionId();
        if (!TopUps.CURRENCY.equals(checkout.currency())) {
            LOG.log(System.Logger.Level.WARNING, "checkout session " + session + " was paid in " + checkout.currency()
                    + ", not credited: only USD top-ups are credited");
            return ignored("checkout session " + session + " is not in USD");
        }
        if (!TopUps.isAccountRef(checkout.clientReferenceId())) {
            LOG.log(System.Logger.Level.INFO, "checkout session " + session + " has no client_reference_id: not a top-up");
            return ignored("checkout session " + session + " names no account");
        }
        AccountId account = new AccountId(checkout.clientReferenceId());
        if (accounts.find(account).isEmpty()) {
            // Money arrived for nobody: an operator must refund it. A 4xx would only make Stripe retry for days.
            LOG.log(System.Logger.Level.WARNING, "checkout session " + session + " was paid for unknown account "
                    + account + "; not credited, refund it in Stripe");
            return ignored("checkout session " + session + " names an unknown account");
        }
        if (checkout.amountCents() == 0) return ignored("checkout session " + session + " paid nothing");
        boolean applied = ledger.post(new LedgerEntry(TopUps.creditEntryId(session), account, LedgerEntry.Kind.CREDIT,
                checkout.amountCents(), session, clock.instant()));
        // Always, not only when the credit is new: a crash after the credit must not leave the payer unrecorded.
        if (checkout.paymentId() != null) {
            AccountId payer = events.recordPayer(checkout.paymentId(), account);
            for (ChargeEvent parked : events.parked(checkout.paymentId())) {
                Result r = apply(parked, payer);
                LOG.log(System.Logger.Level.INFO, "applied parked event " + parked.id() + ": " + r.detail());
            }
        }
        return applied
                ? new Result(Effect.CREDITED, "credited " + checkout.amountCents() + " cents for checkout session "
                        + session)
                : new Result(Effect.ALREADY_APPLIED, "checkout session " + session + " was already credited");
    }

    /**
     * Debits a refund or dispute (or returns a won dispute) from the payer's account, once; parks it
     * while the payer is unknown.
     */
    Result charge(ChargeEvent event) {
        if (!TopUps.CURRENCY.equals(event.currency())) {
            LOG.log(System.Logger.Level.WARNING, "event " + event.id() + " is in " + event.currency() + "; ignored");
            return ignored("event " + event.id() + " is not in USD");
        }
        Optional<AccountId> account = payerOf(event);
        if (account.isEmpty()) {
            if (event.paymentId() == null) {
                LOG.log(System.Logger.Level.WARNING, "event " + event.id() + " names neither a payment nor a known account");
                return ignored("event " + event.id() + " names no payment of a known account");
            }
            events.park(event.paymentId(), event);
            account = events.payer(event.paymentId());
            if (account.isEmpty()) {
                return new Result(Effect.PARKED, "event " + event.id() + " waits for the credit of payment "
                        + event.paymentId());
            }
        }
        return apply(event, account.get());
    }

    private Optional<AccountId> payerOf(ChargeEvent event) {
        if (event.paymentId() != null) {
            Optional<AccountId> payer = events.payer(event.paymentId());
            if (payer.isPresent()) return payer;
        }
        if (TopUps.isAccountRef(event.accountRef())) {
            AccountId named = new AccountId(event.accountRef());
            if (accounts.find(named).isPresent()) return Optional.of(named);
        }
        return Optional.empty();
    }

    private Result apply(ChargeEvent event, AccountId account) {
        return switch (event) {
            case ChargeRefunded r -> refund(r, account);
            case DisputeOpened d -> {
                if (d.amountCents() == 0) yield ignored("dispute " + d.disputeId() + " is for nothing");
                boolean applied = post(TopUps.disputeEntryId(d.disputeId()), account, -d.amountCents(), d.disputeId());
                yield applied
                        ? new Result(Effect.DEBITED, "debited " + d.amountCents() + " cents for dispute " + d.disputeId())
                        : new Result(Effect.ALREADY_APPLIED, "dispute " + d.disputeId() + " was already debited");
            }
            case DisputeReversed d -> {
                if (d.amountCents() == 0) yield ignored("dispute " + d.disputeId() + " is for nothing");
                // The debit first (a no-op when it was applied): a "won" that overtook "created" must net to zero.
                post(TopUps.disputeEntryId(d.disputeId()), account, -d.amountCents(), d.disputeId());
                boolean applied = post(TopUps.disputeReversalEntryId(d.disputeId()), account, d.amountCents(),
                        d.disputeId());
                yield applied
                        ? new Result(Effect.CREDITED, "returned " + d.amountCents() + " cents of won dispute "
                                + d.disputeId())
                        : new Result(Effect.ALREADY_APPLIED, "dispute " + d.disputeId() + " was already returned");
            }
        };
    }

    /** Debits the step from the charge's refund mark to {@code r}'s cumulative total, if it is higher. */
    private Result refund(ChargeRefunded r, AccountId account) {
        String charge = r.chargeId();
        for (int attempt = 0; attempt < MARK_ATTEMPTS; attempt++) {
            Optional<RefundMark> mark = events.refundMark(charge);
            // Re-post the last step: a crash between moving the mark and posting it must not lose that debit.
            mark.ifPresent(m -> ledger.post(m.lastStep()));
            long done = mark.map(RefundMark::refundedCents).orElse(0L);
            if (r.refundedCents() <= done) {
                return new Result(Effect.ALREADY_APPLIED, "refunds of charge " + charge + " are debited up to "
                        + done + " cents");
            }
            long step = r.refundedCents() - done;
            LedgerEntry entry = new LedgerEntry(TopUps.refundEntryId(charge, r.refundedCents()), account,
                    LedgerEntry.Kind.REFUND, -step, charge, clock.instant());
            if (events.advanceRefundMark(charge, done, new RefundMark(r.refundedCents(), entry))) {
                ledger.post(entry);
                return new Result(Effect.DEBITED, "debited " + step + " cents refunded on charge " + charge);
            }
        }
        throw new IllegalStateException("the refund mark of charge " + charge + " kept moving; retry");
    }

    private boolean post(String id, AccountId account, long cents, String reference) {
        return ledger.post(new LedgerEntry(id, account, LedgerEntry.Kind.DISPUTE, cents, reference, clock.instant()));
    }

    private static Result ignored(String detail) {
        return new Result(Effect.IGNORED, detail);
    }
}
