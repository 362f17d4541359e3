package ai.sentx.domain.payment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sentx.domain.FailureException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** {@link TopUps}: the amount range, the entry ids, and the values' own checks. */
class TopUpsTest {

    @Test
    void acceptsTheEdgesOfTheRange_andRefusesOneCentBeyondEither() {
        assertEquals(500, TopUps.requireValidAmount(500));
        assertEquals(100_000, TopUps.requireValidAmount(100_000));
        assertEquals("amount_cents", assertThrows(FailureException.class, () -> TopUps.requireValidAmount(499))
                .failure().param());
        assertEquals("amount_cents", assertThrows(FailureException.class, () -> TopUps.requireValidAmount(100_001))
                .failure().param());
    }

    @Test
    void namesEntriesAfterTheProvidersObjects_soTheSameMoneyHasOneId() {
        assertEquals("topup_cs_1", TopUps.creditEntryId("cs_1"));
        assertEquals("refund_ch_1_700", TopUps.refundEntryId("ch_1", 700));
        assertEquals("dispute_dp_1", TopUps.disputeEntryId("dp_1"));
        assertEquals("dispute_reversed_dp_1", TopUps.disputeReversalEntryId("dp_1"));
    }

    @Test
    void acceptsAccountReferences_thatCanNameAnAccount() {
        assertTrue(TopUps.isAccountRef("acct_demo"));
        assertFalse(TopUps.isAccountRef(null));
        assertFalse(TopUps.isAccountRef(" "));
        assertFalse(TopUps.isAccountRef("a".repeat(201)));
        assertFalse(TopUps.isAccountRef("acct_1\nforged log line"));
    }

    @Test
    void refusesNegativeAmounts_inEveryPaymentValue() {
        Instant t = Instant.EPOCH;
        assertThrows(IllegalArgumentException.class, () -> new PaidCheckout("cs_1", "acct", -1, "usd", null, t));
        assertThrows(IllegalArgumentException.class,
                () -> new PaymentEvent.ChargeRefunded("evt", "charge.refunded", "ch", null, null, -1, "usd"));
        assertThrows(IllegalArgumentException.class,
                () -> new PaymentEvent.DisputeOpened("evt", "charge.dispute.created", "dp", null, null, null, -1, "usd"));
        assertThrows(IllegalArgumentException.class,
                () -> new PaymentEvent.DisputeReversed("evt", "charge.dispute.closed", "dp", null, null, null, -1, "usd"));
        assertThrows(IllegalArgumentException.class, () -> new PaymentEvent.Ignored(" ", "x", "why"));
    }
}
