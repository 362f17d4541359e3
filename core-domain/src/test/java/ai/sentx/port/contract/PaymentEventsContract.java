package ai.sentx.port.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sentx.domain.AccountId;
import ai.sentx.domain.LedgerEntry;
import ai.sentx.domain.payment.PaymentEvent;
import ai.sentx.domain.payment.PaymentEvent.ChargeEvent;
import ai.sentx.domain.payment.RefundMark;
import ai.sentx.port.PaymentEvents;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * What every {@link PaymentEvents} must do (issue 6): handled event ids, first-wins payers, a
 * compare-and-set refund mark per charge, and parked charge events, all atomic under concurrency.
 *
 * <p>Each case uses fresh random ids, so a backing store shared by the cases of one run (one
 * DynamoDB table) serves them all.
 */
public interface PaymentEventsContract {
    /** The store to test; it may share its backing store with earlier ones, ids never collide. */
    PaymentEvents newPaymentEvents();

    /** Threads in the race cases. */
    default int racers() {
        return 8;
    }

    @Test
    default void remembersAHandledEvent_andReportsTheSecondMarkAsNotNew() {
        PaymentEvents events = newPaymentEvents();
        String event = id("evt_");

        assertFalse(events.handled(event));
        assertTrue(events.markHandled(event, "checkout.session.completed", now()));
        assertFalse(events.markHandled(event, "checkout.session.completed", now()));

        assertTrue(events.handled(event));
        assertFalse(events.handled(id("evt_")));
    }

    @Test
    default void marksAnEventHandledOnce_whenThreadsMarkItAtOnce() {
        PaymentEvents events = newPaymentEvents();
        String event = id("evt_");

        List<Boolean> marked = Race.run(racers(), i -> events.markHandled(event, "charge.refunded", now()));

        assertEquals(1, marked.stream().filter(b -> b).count(), marked::toString);
        assertTrue(events.handled(event));
    }

    @Test
    default void keepsTheFirstPayer_ofAPayment() {
        PaymentEvents events = newPaymentEvents();
        String payment = id("pi_");
        AccountId first = account();

        assertEquals(Optional.empty(), events.payer(payment));
        assertEquals(first, events.recordPayer(payment, first));
        assertEquals(first, events.recordPayer(payment, first));
        assertEquals(first, events.recordPayer(payment, account()));

        assertEquals(Optional.of(first), events.payer(payment));
        assertEquals(Optional.empty(), events.payer(id("pi_")));
    }

    @Test
    default void agreesOnOnePayer_whenThreadsRecordDifferentPayersAtOnce() {
        PaymentEvents events = newPaymentEvents();
        String payment = id("pi_");
        List<AccountId> candidates = java.util.stream.IntStream.range(0, racers()).mapToObj(i -> account()).toList();

        List<AccountId> recorded = Race.run(racers(), i -> events.recordPayer(payment, candidates.get(i)));

        assertEquals(1, Set.copyOf(recorded).size(), recorded::toString);
        assertEquals(Optional.of(recorded.getFirst()), events.payer(payment));
    }

    @Test
    default void movesARefundMark_onlyFromWhereItStands() {
        PaymentEvents events = newPaymentEvents();
        String charge = id("ch_");
        RefundMark three = mark(charge, 300, 300);
        RefundMark five = mark(charge, 500, 200);

        assertEquals(Optional.empty(), events.refundMark(charge));
        assertFalse(events.advanceRefundMark(charge, 100, three), "no mark yet: only 0 matches");
        assertTrue(events.advanceRefundMark(charge, 0, three));
        assertEquals(Optional.of(three), events.refundMark(charge));

        assertFalse(events.advanceRefundMark(charge, 0, five), "the mark moved on from 0");
        assertFalse(events.advanceRefundMark(charge, 200, five));
        assertEquals(Optional.of(three), events.refundMark(charge));

        assertTrue(events.advanceRefundMark(charge, 300, five));
        assertEquals(Optional.of(five), events.refundMark(charge));
        assertEquals(Optional.empty(), events.refundMark(id("ch_")));
    }

    @Test
    default void refusesToMoveARefundMarkDownOrNowhere() {
        PaymentEvents events = newPaymentEvents();
        String charge = id("ch_");
        events.advanceRefundMark(charge, 0, mark(charge, 300, 300));

        assertThrows(IllegalArgumentException.class, () -> events.advanceRefundMark(charge, 300, mark(charge, 300, 1)));
        assertThrows(IllegalArgumentException.class, () -> events.advanceRefundMark(charge, 300, mark(charge, 200, 1)));
        assertEquals(300, events.refundMark(charge).orElseThrow().refundedCents());
    }

    @Test
    default void letsOneOfManyRacingMovesWin_fromTheSameMark() {
        PaymentEvents events = newPaymentEvents();
        String charge = id("ch_");

        List<Boolean> moved = Race.run(racers(), i -> events.advanceRefundMark(charge, 0, mark(charge, 100L + i, 100L + i)));

        assertEquals(1, moved.stream().filter(b -> b).count(), moved::toString);
        int winner = moved.indexOf(true);
        assertEquals(100L + winner, events.refundMark(charge).orElseThrow().refundedCents());
    }

    @Test
    default void keepsParkedEventsInOrder_onceEach_perPayment() {
        PaymentEvents events = newPaymentEvents();
        String payment = id("pi_");
        String charge = id("ch_");
        ChargeEvent refund = new PaymentEvent.ChargeRefunded(id("evt_"), "charge.refunded", charge, payment,
                "acct_x", 250, "usd");
        ChargeEvent dispute = new PaymentEvent.DisputeOpened(id("evt_"), "charge.dispute.created", id("dp_"), charge,
                payment, null, 500, "usd");
        ChargeEvent won = new PaymentEvent.DisputeReversed(id("evt_"), "charge.dispute.closed", id("dp_"), charge,
                payment, null, 500, "usd");

        assertEquals(List.of(), events.parked(payment));
        events.park(payment, refund);
        events.park(payment, dispute);
        events.park(payment, refund);
        events.park(payment, won);

        assertEquals(List.of(refund, dispute, won), events.parked(payment));
        assertEquals(List.of(), events.parked(id("pi_")));
    }

    @Test
    default void parksEachEventOnce_whenThreadsParkTheSameEventsAtOnce() {
        PaymentEvents events = newPaymentEvents();
        String payment = id("pi_");
        List<ChargeEvent> distinct = java.util.stream.IntStream.range(0, 3)
                .<ChargeEvent>mapToObj(i -> new PaymentEvent.ChargeRefunded(id("evt_"), "charge.refunded", id("ch_"),
                        payment, null, 100 + i, "usd"))
                .toList();

        Race.run(racers(), i -> {
            events.park(payment, distinct.get(i % distinct.size()));
            return null;
        });

        List<ChargeEvent> parked = events.parked(payment);
        assertEquals(distinct.size(), parked.size(), parked::toString);
        assertEquals(Set.copyOf(distinct), Set.copyOf(parked));
        assertEquals(distinct.size(), parked.stream().map(PaymentEvent::id).collect(Collectors.toSet()).size());
    }

    private static RefundMark mark(String charge, long total, long step) {
        return new RefundMark(total, new LedgerEntry("refund_" + charge + "_" + total, new AccountId("acct_x"),
                LedgerEntry.Kind.REFUND, -step, charge, now()));
    }

    private static AccountId account() {
        return new AccountId(id("acct_"));
    }

    private static String id(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "");
    }

    /** Millisecond precision, as every store keeps it. */
    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }
}
