package ai.sentx.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.sentx.application.HandlePaymentEvent;
import ai.sentx.application.ReconcileTopUps;
import ai.sentx.domain.Account;
import ai.sentx.domain.AccountId;
import ai.sentx.domain.FailureException;
import ai.sentx.domain.LedgerEntry;
import ai.sentx.domain.Problem;
import ai.sentx.payments.StripeEvents;
import ai.sentx.payments.StripePayments;
import ai.sentx.payments.StripeSettings;
import ai.sentx.payments.StripeStandIn;
import ai.sentx.persistence.memory.InMemoryAccounts;
import ai.sentx.persistence.memory.InMemoryLedger;
import ai.sentx.persistence.memory.InMemoryPaymentEvents;
import ai.sentx.port.contract.Race;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ReconcileTopUps} through stripe-java against {@link StripeStandIn}'s list endpoint: a paid
 * session whose webhook never came is credited once, by whichever of the reconciliation and a late
 * webhook comes first.
 */
class ReconcileTopUpsTest {
    private static final String KEY = "sk_test_reconcile_0123456789abcdefghij";
    private static final String SECRET = "whsec_test_reconcile_0123456789";
    private static final AccountId ADA = new AccountId("acct_ada");

    private final StripeStandIn stripe = StripeStandIn.start(KEY);
    private final Clock clock = Clock.systemUTC();
    private final InMemoryAccounts accounts = new InMemoryAccounts();
    private final InMemoryLedger ledger = new InMemoryLedger();
    private final InMemoryPaymentEvents records = new InMemoryPaymentEvents();
    private final StripePayments payments = new StripePayments(new StripeSettings(KEY, List.of(SECRET),
            stripe.apiBase(), "https://sentx.example/ok", "https://sentx.example/cancel"), clock);
    private final ReconcileTopUps reconcile = new ReconcileTopUps(payments, records, ledger, accounts, clock,
            Duration.ofDays(7));
    private final HandlePaymentEvent webhook = new HandlePaymentEvent(payments, records, ledger, accounts, clock);

    ReconcileTopUpsTest() {
        accounts.createIfAbsent(new Account(ADA, "Ada", Instant.now()));
    }

    @AfterEach
    void stop() {
        stripe.close();
    }

    @Test
    void credits_aPaidSessionWhoseWebhookNeverCame_once() {
        StripeStandIn.Session missed = stripe.addPaidSession("acct_ada", 2_500, "usd", Instant.now().minusSeconds(3600));

        assertEquals(new ReconcileTopUps.Report(1, 1, 0), reconcile.reconcile());
        assertEquals(new ReconcileTopUps.Report(1, 0, 0), reconcile.reconcile());

        assertEquals(2_500, ledger.balance(ADA));
        assertEquals(List.of("topup_" + missed.id()), ledger.entries(ADA).stream().map(LedgerEntry::id).toList());
    }

    @Test
    void creditsNothingAgain_whenTheWebhookArrivesAfterTheReconciliation() {
        StripeStandIn.Session missed = stripe.addPaidSession("acct_ada", 2_500, "usd", Instant.now());
        reconcile.reconcile();

        byte[] late = StripeEvents.checkoutCompleted("evt_late", missed.id(), "acct_ada", 2_500, missed.paymentIntent());
        HandlePaymentEvent.Result r = webhook.handle(late, StripeEvents.signature(late, SECRET, Instant.now().getEpochSecond()));

        assertEquals(HandlePaymentEvent.Outcome.DUPLICATE, r.outcome());
        assertEquals(2_500, ledger.balance(ADA));
    }

    @Test
    void creditsNothing_thatAWebhookAlreadyCredited() {
        StripeStandIn.Session paid = stripe.addPaidSession("acct_ada", 2_500, "usd", Instant.now());
        byte[] event = StripeEvents.checkoutCompleted("evt_1", paid.id(), "acct_ada", 2_500, paid.paymentIntent());
        webhook.handle(event, StripeEvents.signature(event, SECRET, Instant.now().getEpochSecond()));

        assertEquals(new ReconcileTopUps.Report(1, 0, 0), reconcile.reconcile());
        assertEquals(2_500, ledger.balance(ADA));
    }

    @Test
    void credits_once_whenRunsAndTheWebhookRace() {
        StripeStandIn.Session paid = stripe.addPaidSession("acct_ada", 2_500, "usd", Instant.now());
        byte[] event = StripeEvents.checkoutCompleted("evt_1", paid.id(), "acct_ada", 2_500, paid.paymentIntent());
        String signature = StripeEvents.signature(event, SECRET, Instant.now().getEpochSecond());

        Race.run(6, i -> i == 0 ? webhook.handle(event, signature) : reconcile.reconcile());

        assertEquals(2_500, ledger.balance(ADA));
    }

    @Test
    void appliesARefundParkedBeforeTheMissedCredit() {
        StripeStandIn.Session paid = stripe.addPaidSession("acct_ada", 2_500, "usd", Instant.now());
        byte[] refund = StripeEvents.chargeRefunded("evt_r", "ch_1", paid.paymentIntent(), null, 1_000);
        webhook.handle(refund, StripeEvents.signature(refund, SECRET, Instant.now().getEpochSecond()));
        assertEquals(0, ledger.balance(ADA));

        reconcile.reconcile();

        assertEquals(1_500, ledger.balance(ADA));
    }

    @Test
    void skipsUnpaidSessions_sessionsOutsideTheWindow_andOtherCurrencies() {
        stripe.addSession(new StripeStandIn.Session("cs_unpaid", "acct_ada", 900, "usd", "pi_u",
                Instant.now().getEpochSecond(), "complete", "unpaid", "payment"));
        stripe.addPaidSession("acct_ada", 800, "usd", Instant.now().minus(Duration.ofDays(8)));
        stripe.addPaidSession("acct_ada", 700, "eur", Instant.now());

        assertEquals(new ReconcileTopUps.Report(1, 0, 0), reconcile.reconcile());
        assertEquals(0, ledger.balance(ADA));
    }

    @Test
    void failsAsUnavailable_whenStripeIsDown_andCreditsOnTheNextRun() {
        stripe.addPaidSession("acct_ada", 2_500, "usd", Instant.now());
        stripe.failWith(503);

        FailureException e = assertThrows(FailureException.class, reconcile::reconcile);
        assertEquals(Problem.PAYMENTS_UNAVAILABLE, e.failure().problem());

        stripe.failWith(0);
        assertEquals(new ReconcileTopUps.Report(1, 1, 0), reconcile.reconcile());
    }
}
