package ai.sentx.persistence.dynamodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sentx.domain.AccountId;
import ai.sentx.domain.LedgerEntry;
import ai.sentx.port.Ledger;
import ai.sentx.port.Ledger.HoldResult;
import ai.sentx.port.contract.LedgerContract;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Runs the {@link LedgerContract} on {@link DynamoDbLedger} over the fake, and checks what it settles beyond it. */
class DynamoDbLedgerIT implements LedgerContract {
    private static final DynamoDbClient CLIENT = FakeDynamoDbServer.newClient();
    private static final TableNames TABLES = FakeDynamoDbServer.freshTables("ledger");
    private static final Duration TTL = Duration.ofMinutes(20);

    private final Instant t = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private final AccountId account = new AccountId("acct_" + UUID.randomUUID());

    @Override
    public Ledger newLedger() {
        return new DynamoDbLedger(CLIENT, TABLES);
    }

    @Test
    void placesAndSettlesAHold_withOneWriteEachAndNoRead() {
        DynamoDbLedger ledger = funded(500);
        String hold = "req_" + UUID.randomUUID();

        RequestCounter.Counts before = RequestCounter.snapshot();
        assertInstanceOf(HoldResult.Placed.class, ledger.placeHold(account, hold, 200, t, t.plus(TTL)));
        assertEquals(120, ledger.settle(account, hold, 120, hold, t.plusSeconds(1)));
        RequestCounter.Counts spent = RequestCounter.snapshot().since(before);

        assertEquals(Map.of("TransactWriteItems", 2L), spent.byOperation());
    }

    @Test
    void settlesAHoldPlacedByAnotherInstance_withOneReadOfItsRecord() {
        funded(500).placeHold(account, "req_a", 200, t, t.plus(TTL));
        DynamoDbLedger other = new DynamoDbLedger(FakeDynamoDbServer.newClient(), TABLES);

        RequestCounter.Counts before = RequestCounter.snapshot();
        assertEquals(150, other.settle(account, "req_a", 150, "req_a", t.plusSeconds(1)));
        RequestCounter.Counts spent = RequestCounter.snapshot().since(before);

        assertEquals(Map.of("GetItem", 1L, "TransactWriteItems", 1L), spent.byOperation());
        assertEquals(350, other.balance(account));
    }

    @Test
    void reservesNothing_whenAReleasedHoldIsPlacedAgain() {
        DynamoDbLedger ledger = funded(500);
        ledger.placeHold(account, "hold_1", 200, t, t.plus(TTL));
        ledger.release(account, "hold_1");

        assertEquals(new HoldResult.Placed(), ledger.placeHold(account, "hold_1", 200, t, t.plus(TTL)));

        assertEquals(500, ledger.available(account, t));
        assertEquals(0, ledger.settle(account, "hold_1", 100, "req", t));
    }

    @Test
    void reservesNothing_whenASettledHoldIsPlacedAgain() {
        DynamoDbLedger ledger = funded(500);
        ledger.placeHold(account, "hold_1", 200, t, t.plus(TTL));
        ledger.settle(account, "hold_1", 100, "req", t);

        assertEquals(new HoldResult.Placed(), ledger.placeHold(account, "hold_1", 200, t, t.plus(TTL)));

        assertEquals(400, ledger.available(account, t));
    }

    @Test
    void refusesNegativeHoldsAndCosts() {
        DynamoDbLedger ledger = funded(500);

        assertThrows(IllegalArgumentException.class, () -> ledger.placeHold(account, "hold_1", -1, t, t));
        assertThrows(IllegalArgumentException.class, () -> ledger.settle(account, "hold_1", -1, "req", t));
    }

    @Test
    void refusesAnEntry_thatWouldOverflowTheBalance() {
        DynamoDbLedger ledger = funded(Long.MAX_VALUE);

        assertThrows(ArithmeticException.class,
                () -> ledger.post(new LedgerEntry("e_2", account, LedgerEntry.Kind.CREDIT, 1, "", t)));
        assertEquals(Long.MAX_VALUE, ledger.balance(account));
        assertEquals(1, ledger.entries(account).size());
    }

    @Test
    void comesBackFromAnOverdraft_whenACreditCoversIt_andThenHoldsWithoutReading() {
        DynamoDbLedger ledger = funded(100);
        assertTrue(ledger.post(new LedgerEntry("refund_1", account, LedgerEntry.Kind.REFUND, -150, "ch_1", t)));
        assertEquals(new HoldResult.Insufficient(-50), ledger.placeHold(account, "hold_1", 1, t, t.plus(TTL)));
        assertTrue(ledger.post(new LedgerEntry("credit_2", account, LedgerEntry.Kind.CREDIT, 80, "cs_2", t)));
        assertEquals(30, ledger.available(account, t));

        RequestCounter.Counts before = RequestCounter.snapshot();
        assertInstanceOf(HoldResult.Placed.class, ledger.placeHold(account, "hold_2", 30, t, t.plus(TTL)));
        assertEquals(Map.of("TransactWriteItems", 1L), RequestCounter.snapshot().since(before).byOperation());
        assertEquals(new HoldResult.Insufficient(0), ledger.placeHold(account, "hold_3", 1, t, t.plus(TTL)));
    }

    @Test
    void keepsTheOverdraft_whenAHoldIsReleasedWhileTheBalanceIsBelowZero() {
        DynamoDbLedger ledger = funded(100);
        ledger.placeHold(account, "hold_1", 100, t, t.plus(TTL));
        assertTrue(ledger.post(new LedgerEntry("dispute_1", account, LedgerEntry.Kind.DISPUTE, -150, "dp_1", t)));
        assertEquals(-150, ledger.available(account, t));

        ledger.release(account, "hold_1");

        assertEquals(-50, ledger.available(account, t));
        assertEquals(new HoldResult.Insufficient(-50), ledger.placeHold(account, "hold_2", 1, t, t.plus(TTL)));
        assertEquals(0, ledger.settle(account, "hold_1", 10, "req", t));
    }

    private DynamoDbLedger funded(long cents) {
        DynamoDbLedger ledger = new DynamoDbLedger(CLIENT, TABLES);
        assertTrue(ledger.post(new LedgerEntry("e_1", account, LedgerEntry.Kind.CREDIT, cents, "", t)));
        return ledger;
    }
}
