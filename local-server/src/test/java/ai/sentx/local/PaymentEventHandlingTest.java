package ai.sentx.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sentx.application.HandlePaymentEvent;
import ai.sentx.application.HandlePaymentEvent.Outcome;
import ai.sentx.domain.Account;
import ai.sentx.domain.AccountId;
import ai.sentx.domain.FailureException;
import ai.sentx.domain.LedgerEntry;
import ai.sentx.domain.Problem;
import ai.sentx.payments.StripeEvents;
import ai.sentx.payments.StripePayments;
import ai.sentx.payments.StripeSettings;
import ai.sentx.persistence.memory.InMemoryAccounts;
import ai.sentx.persistence.memory.InMemoryLedger;
import ai.sentx.persistence.memory.InMemoryPaymentEvents;
import ai.sentx.port.contract.Race;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * {@link HandlePaymentEvent} wired as the local server wires it (Stripe's reader and verifier, the
 * in-memory ledger and payment records), fed with recorded Stripe events: every cent arrives and
 * leaves exactly once, whatever the repetition, order and concurrency of the webhooks.
 */
class PaymentEventHandlingTest {
    private static final String SECRET = "whsec_test_handling_0123456789abcdef";
    private static final Instant NOW = Instant.parse("2026-11-29T19:51:00Z");
    private static final AccountId ADA = new AccountId("acct_ada");
    private static final AccountId BOB = new AccountId("acct_bob");

    private final InMemoryAccounts accounts = new InMemoryAccounts();
    private final InMemoryLedger ledger = new InMemoryLedger();
    private final InMemoryPaymentEvents records = new InMemoryPaymentEvents();
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final HandlePaymentEvent handler = new HandlePaymentEvent(new StripePayments(
            new StripeSettings(null, List.of(SECRET), StripeSettings.DEFAULT_API_BASE, null, null), clock),
            records, ledger, accounts, clock);

    PaymentEventHandlingTest() {
        accounts.createIfAbsent(new Account(ADA, "Ada", NOW));
        accounts.createIfAbsent(new Account(BOB, "Bob", NOW));
    }

    // ---- credits ----

    @Test
    void credits_thePaidAmount_toTheAccountTheSessionNames() {
        HandlePaymentEvent.Result r = deliver(StripeEvents.checkoutCompleted("evt_1", "cs_1", "acct_ada", 2_500, "pi_1"));

        assertEquals(Outcome.CREDITED, r.outcome());
        assertEquals(2_500, ledger.balance(ADA));
        assertEquals(List.of(new LedgerEntry("topup_cs_1", ADA, LedgerEntry.Kind.CREDIT, 2_500, "cs_1", NOW)),
                ledger.entries(ADA));
        assertEquals(0, ledger.balance(BOB));
    }

    @Test
    void credits_once_whenTheSameEventArrivesTwice() {
        byte[] event = StripeEvents.checkoutCompleted("evt_1", "cs_1", "acct_ada", 2_500, "pi_1");

        assertEquals(Outcome.CREDITED, deliver(event).outcome());
        assertEquals(Outcome.DUPLICATE, deliver(event).outcome());

        assertEquals(2_500, ledger.balance(ADA));
        assertEquals(1, ledger.entries(ADA).size());
    }

    @Test
    void credits_once_whenTheSameSessionArrivesUnderTwoEventIds() {
        assertEquals(Outcome.CREDITED,
                deliver(StripeEvents.checkoutCompleted("evt_1", "cs_1", "acct_ada", 2_500, "pi_1")).outcome());
        assertEquals(Outcome.DUPLICATE,
                deliver(StripeEvents.checkoutCompleted("evt_2", "cs_1", "acct_ada", 2_500, "pi_1")).outcome());
        assertEquals(Outcome.DUPLICATE,
                deliver(StripeEvents.asyncPaymentSucceeded("evt_3", "cs_1", "acct_ada", 2_500, "pi_1")).outcome());

        assertEquals(2_500, ledger.balance(ADA));
    }

    @Test
    void credits_anAsyncPayment_whenItSucceeds_notWhenTheSessionCompletesUnpaid() {
        ObjectNode unpaid = StripeEvents.recorded("checkout.session.completed.unpaid");
        StripeEvents.object(unpaid).put("client_reference_id", "acct_ada").put("id", "cs_async");

        assertEquals(Outcome.IGNORED, deliver(StripeEvents.bytes(unpaid)).outcome());
        assertEquals(0, ledger.balance(ADA));
        assertEquals(Outcome.CREDITED,
                deliver(StripeEvents.asyncPaymentSucceeded("evt_9", "cs_async", "acct_ada", 2_500, "pi_9")).outcome());
        assertEquals(2_500, ledger.balance(ADA));
    }

    @Test
    void credits_once_whenThreadsDeliverTheSameEventAtOnce() {
        byte[] event = StripeEvents.checkoutCompleted("evt_1", "cs_1", "acct_ada", 2_500, "pi_1");
        String signature = sign(event);

        List<Outcome> outcomes = Race.run(16, i -> handler.handle(event, signature).outcome());

        assertEquals(1, outcomes.stream().filter(o -> o == Outcome.CREDITED).count(), outcomes::toString);
        assertTrue(outcomes.stream().allMatch(o -> o == Outcome.CREDITED || o == Outcome.DUPLICATE), outcomes::toString);
        assertEquals(2_500, ledger.balance(ADA));
        assertEquals(1, ledger.entries(ADA).size());
    }

    @Test
    void credits_once_whenThreadsDeliverTheSameSessionUnderDifferentEventIds() {
        List<byte[]> events = IntStream.range(0, 16)
                .mapToObj(i -> i % 2 == 0
                        ? StripeEvents.checkoutCompleted("evt_" + i, "cs_1", "acct_ada", 2_500, "pi_1")
                        : StripeEvents.asyncPaymentSucceeded("evt_" + i, "cs_1", "acct_ada", 2_500, "pi_1"))
                .toList();

        Race.run(events.size(), i -> deliver(events.get(i)));

        assertEquals(2_500, ledger.balance(ADA));
    }

    @Test
    void creditsAmountsBeyond32Bits_exactly() {
        deliver(StripeEvents.checkoutCompleted("evt_1", "cs_1", "acct_ada", 3_000_000_000L, "pi_1"));

        assertEquals(3_000_000_000L, ledger.balance(ADA));
    }

    @Test
    void ignores_aPaidSessionForAnUnknownAccount_orInAnotherCurrency_orWithoutAnAccount() {
        ObjectNode euro = StripeEvents.recorded("checkout.session.completed");
        StripeEvents.object(euro).put("currency", "eur").put("client_reference_id", "acct_ada");
        ObjectNode nobody = StripeEvents.recorded("checkout.session.completed");
        StripeEvents.object(nobody).putNull("client_reference_id");
        nobody.put("id", "evt_nobody");

        assertEquals(Outcome.IGNORED,
                deliver(StripeEvents.checkoutCompleted("evt_1", "cs_1", "acct_ghost", 2_500, "pi_1")).outcome());
        assertEquals(Outcome.IGNORED, deliver(StripeEvents.bytes(euro)).outcome());
        assertEquals(Outcome.IGNORED, deliver(StripeEvents.bytes(nobody)).outcome());

        assertEquals(List.of(), ledger.entries(ADA));
        assertEquals(List.of(), ledger.entries(new AccountId("acct_ghost")));
    }

    @Test
    void ignores_eventTypesItDoesNotHandle_andRemembersThem() {
        byte[] event = StripeEvents.bytes(StripeEvents.recorded("payment_intent.succeeded"));

        assertEquals(Outcome.IGNORED, deliver(event).outcome());
        assertEquals(Outcome.DUPLICATE, deliver(event).outcome());
        assertEquals(0, ledger.balance(ADA));
    }

    // ---- signatures ----

    @Test
    void changesNothing_whenTheSignatureIsWrongStaleOrMissing() {
        byte[] event = StripeEvents.checkoutCompleted("evt_1", "cs_1", "acct_ada", 2_500, "pi_1");
        List<String> bad = List.of(StripeEvents.signature(event, "whsec_wrong", NOW.getEpochSecond()),
                StripeEvents.signature(event, SECRET, NOW.getEpochSecond() - 301),
                StripeEvents.signature(event, SECRET, NOW.getEpochSecond() + 301), "");

        for (String signature : bad) {
            FailureException e = assertThrows(FailureException.class, () -> handler.handle(event, signature));
            assertEquals(Problem.INVALID_SIGNATURE, e.failure().problem());
        }
        FailureException missing = assertThrows(FailureException.class, () -> handler.handle(event, null));
        assertEquals(Problem.INVALID_SIGNATURE, missing.failure().problem());

        assertEquals(List.of(), ledger.entries(ADA));
        assertEquals(false, records.handled("evt_1"));
    }

    @Test
    void changesNothing_whenASignedEventCarriesAnAmountThatDoesNotFit() {
        byte[] event = new String(StripeEvents.checkoutCompleted("evt_1", "cs_1", "acct_ada", 2_500, "pi_1"),
                StandardCharsets.UTF_8).replace("\"amount_total\":2500", "\"amount_total\":92233720368547758070")
                .getBytes(StandardCharsets.UTF_8);

        FailureException e = assertThrows(FailureException.class, () -> deliver(event));

        assertEquals(Problem.INVALID_PARAMETER, e.failure().problem());
        assertEquals(List.of(), ledger.entries(ADA));
    }

    // ---- refunds ----

    @Test
    void debitsARefund_afterTheCredit() {
        deliver(StripeEvents.checkoutCompleted("evt_1", "cs_1", "acct_ada", 2_500, "pi_1"));

        HandlePaymentEvent.Result r = deliver(StripeEvents.chargeRefunded("evt_2", "ch_1", "pi_1", "acct_ada", 2_500));

        assertEquals(Outcome.DEBITED, r.outcome());
        assertEquals(0, ledger.balance(ADA));
        assertEquals(new LedgerEntry("refund_ch_1_2500", ADA, LedgerEntry.Kind.REFUND, -2_500, "ch_1", NOW),
                ledger.entries(ADA).getLast());
    }

    @Test
    void debitsOnlyTheNewlyRefundedPart_ofPartialAndRepeatedRefunds() {
        deliver(StripeEvents.checkoutCompleted("evt_1", "cs_1", "acct_ada", 2_500, "pi_1"));

        deliver(StripeEvents.chargeRefunded("evt_2", "ch_1", "pi_1", "acct_ada", 300));
        deliver(StripeEvents.chargeRefunded("evt_3", "ch_1", "pi_1", "acct_ada", 1_000));
        assertEquals(Outcome.DUPLICATE,
                deliver(StripeEvents.chargeRefunded("evt_3", "ch_1", "pi_1", "acct_ada", 1_000)).outcome());
        assertEquals(Outcome.DUPLICATE,
                deliver(StripeEvents.chargeRefunded("evt_4", "ch_1", "pi_1", "acct_ada", 1_000)).outcome());

        assertEquals(1_500, ledger.balance(ADA));
        assertEquals(List.of(-300L, -700L), refunds(ADA));
    }

    @Test
    void debitsTheHighestRefundedTotalOnce_whenPartialRefundsArriveOutOfOrder() {
        deliver(StripeEvents.checkoutCompleted("evt_1", "cs_1", "acct_ada", 2_500, "pi_1"));

        deliver(StripeEvents.chargeRefunded("evt_3", "ch_1", "pi_1", "acct_ada", 1_000));
        assertEquals(Outcome.DUPLICATE,
                deliver(StripeEvents.chargeRefunded("evt_2", "ch_1", "pi_1", "acct_ada", 300)).outcome());

        assertEquals(1_500, ledger.balance(ADA));
    }

    @Test
    void debitsTheHighestRefundedTotalOnce_whenRefundEventsRace() {
        deliver(StripeEvents.checkoutCompleted("evt_1", "cs_1", "acct_ada", 2_500, "pi_1"));
        List<byte[]> refunds = IntStream.range(0, 24)
                .mapToObj(i -> StripeEvents.chargeRefunded("evt_r" + i, "ch_1", "pi_1", "acct_ada", 100L * (i % 8 + 1)))
                .toList();

        Race.run(refunds.size(), i -> deliver(refunds.get(i)));

        assertEquals(2_500 - 800, ledger.balance(ADA));
        assertEquals(-800, refunds(ADA).stream().mapToLong(Long::longValue).sum());
    }

    @Test
    void endsCorrect_whenTheRefundArrivesBeforeTheCredit() {
        assertEquals(Outcome.DEBITED,
                deliver(StripeEvents.chargeRefunded("evt_2", "ch_1", "pi_1", "acct_ada", 2_500)).outcome());
        assertEquals(-2_500, ledger.balance(ADA), "the debit is recorded at once, from the charge's metadata");

        assertEquals(Outcome.CREDITED,
                deliver(StripeEvents.checkoutCompleted("evt_1", "cs_1", "acct_ada", 2_500, "pi_1")).outcome());
        assertEquals(Outcome.DUPLICATE,
                deliver(StripeEvents.checkoutCompleted("evt_1", "cs_1", "acct_ada", 2_500, "pi_1")).outcome());

        assertEquals(0, ledger.balance(ADA));
    }

    @Test
    void parksARefundWhoseAccountIsUnknown_andAppliesItWithTheCredit() {
        assertEquals(Outcome.PARKED, deliver(StripeEvents.chargeRefunded("evt_2", "ch_1", "pi_1", null, 1_000)).outcome());
        assertEquals(List.of(), ledger.entries(ADA));

        deliver(StripeEvents.checkoutCompleted("evt_1", "cs_1", "acct_ada", 2_500, "pi_1"));
        deliver(StripeEvents.checkoutCompleted("evt_5", "cs_1", "acct_ada", 2_500, "pi_1"));

        assertEquals(1_500, ledger.balance(ADA));
        assertEquals(List.of(-1_000L), refunds(ADA));
    }

    @Test
    void debitsARefundWithoutMetadata_fromThePayerTheCreditRecorded() {
        deliver(StripeEvents.checkoutCompleted("evt_1", "cs_1", "acct_ada", 2_500, "pi_1"));

        assertEquals(Outcome.DEBITED, deliver(StripeEvents.chargeRefunded("evt_2", "ch_1", "pi_1", null, 700)).outcome());

        assertEquals(1_800, ledger.balance(ADA));
    }

    @Test
    void endsCorrect_whenACreditAndAnUnattributedRefundRace() {
        for (int round = 0; round < 200; round++) {
            String n = Integer.toString(round);
            byte[] credit = StripeEvents.checkoutCompleted("evt_c" + n, "cs_" + n, "acct_bob", 1_000, "pi_" + n);
            byte[] refund = StripeEvents.chargeRefunded("evt_r" + n, "ch_" + n, "pi_" + n, null, 400);

            Race.run(2, i -> deliver(i == 0 ? credit : refund));
        }

        assertEquals(200 * (1_000 - 400), ledger.balance(BOB));
    }

    // ---- disputes ----

    @Test
    void debitsADispute_once_andReturnsItWhenWon() {
        deliver(StripeEvents.checkoutCompleted("evt_1", "cs_1", "acct_ada", 2_500, "pi_1"));
        byte[] opened = StripeEvents.disputeCreated("evt_d1", "dp_1", "ch_1", "pi_1", 2_500);

        assertEquals(Outcome.DEBITED, deliver(opened).outcome());
        assertEquals(Outcome.DUPLICATE, deliver(opened).outcome());
        assertEquals(0, ledger.balance(ADA));

        assertEquals(Outcome.CREDITED,
                deliver(StripeEvents.disputeClosed("evt_d2", "dp_1", "ch_1", "pi_1", 2_500, "won")).outcome());
        assertEquals(2_500, ledger.balance(ADA));
    }

    @Test
    void keepsTheDebit_whenADisputeIsLost() {
        deliver(StripeEvents.checkoutCompleted("evt_1", "cs_1", "acct_ada", 2_500, "pi_1"));
        deliver(StripeEvents.disputeCreated("evt_d1", "dp_1", "ch_1", "pi_1", 2_500));

        assertEquals(Outcome.IGNORED,
                deliver(StripeEvents.disputeClosed("evt_d2", "dp_1", "ch_1", "pi_1", 2_500, "lost")).outcome());

        assertEquals(0, ledger.balance(ADA));
    }

    @Test
    void netsToZero_whenAWonClosingOvertakesTheDisputesOpening() {
        deliver(StripeEvents.checkoutCompleted("evt_1", "cs_1", "acct_ada", 2_500, "pi_1"));

        deliver(StripeEvents.disputeClosed("evt_d2", "dp_1", "ch_1", "pi_1", 2_500, "won"));
        deliver(StripeEvents.disputeCreated("evt_d1", "dp_1", "ch_1", "pi_1", 2_500));

        assertEquals(2_500, ledger.balance(ADA));
        assertEquals(Set.of("topup_cs_1", "dispute_dp_1", "dispute_reversed_dp_1"),
                Set.copyOf(ledger.entries(ADA).stream().map(LedgerEntry::id).toList()));
    }

    @Test
    void parksADisputeOfAnUncreditedPayment_andAppliesItWithTheCredit() {
        assertEquals(Outcome.PARKED, deliver(StripeEvents.disputeCreated("evt_d1", "dp_1", "ch_1", "pi_1", 2_500)).outcome());

        deliver(StripeEvents.checkoutCompleted("evt_1", "cs_1", "acct_ada", 2_500, "pi_1"));

        assertEquals(0, ledger.balance(ADA));
    }

    private HandlePaymentEvent.Result deliver(byte[] event) {
        return handler.handle(event, sign(event));
    }

    private static String sign(byte[] event) {
        return StripeEvents.signature(event, SECRET, NOW.getEpochSecond());
    }

    private List<Long> refunds(AccountId account) {
        return ledger.entries(account).stream().filter(e -> e.kind() == LedgerEntry.Kind.REFUND)
                .map(LedgerEntry::amountCents).toList();
    }
}
