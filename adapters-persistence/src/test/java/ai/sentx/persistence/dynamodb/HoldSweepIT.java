package ai.sentx.persistence.dynamodb;

import ai.sentx.persistence.memory.MutableClock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sentx.application.SweepExpiredHolds;
import ai.sentx.domain.AccountId;
import ai.sentx.domain.LedgerEntry;
import ai.sentx.port.Ledger;
import ai.sentx.port.Ledger.HoldResult;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Nothing is lost when a request dies between its hold and its settlement: the hold expires, the
 * money is available again at once, and the sweeper ({@link SweepExpiredHolds} on another
 * instance) closes the hold without reading anything but the expiry index.
 */
class HoldSweepIT {
    private static final TableNames TABLES = FakeDynamoDbServer.freshTables("sweep");
    private static final DynamoDbClient CLIENT = FakeDynamoDbServer.newClient();
    private static final Duration HOLD_TTL = Duration.ofMinutes(20);

    // Each case runs at its own distant hour, so the sweeps of one case never meet the holds of another.
    private final Instant start = Instant.now().truncatedTo(ChronoUnit.HOURS)
            .plus(Duration.ofDays(30 + Math.floorMod(UUID.randomUUID().hashCode(), 3_000)));
    private final MutableClock clock = new MutableClock(start);
    private final AccountId account = new AccountId("acct_" + UUID.randomUUID());

    @Test
    void aRequestKilledBetweenHoldAndSettle_getsItsMoneyBack_whenTheHoldExpiresAndTheSweeperRuns() {
        Ledger dying = new DynamoDbLedger(CLIENT, TABLES);
        fund(dying, 500);
        String hold = "req_" + UUID.randomUUID();
        assertInstanceOf(HoldResult.Placed.class, dying.placeHold(account, hold, 300, clock.instant(), clock.instant().plus(HOLD_TTL)));
        assertEquals(200, dying.available(account, clock.instant()));
        // The instance dies here: no settlement, no release.

        Ledger survivor = new DynamoDbLedger(FakeDynamoDbServer.newClient(), TABLES);
        clock.advance(HOLD_TTL.plusMinutes(1));
        assertEquals(500, survivor.available(account, clock.instant()), "an expired hold reserves nothing");

        RequestCounter.Counts before = RequestCounter.snapshot();
        int released = new SweepExpiredHolds(survivor, clock).sweep();
        RequestCounter.Counts sweep = RequestCounter.snapshot().since(before);

        assertEquals(1, released);
        assertEquals(0, sweep.byOperation().getOrDefault("Scan", 0L), "never a scan: " + sweep);
        assertEquals(7 * DynamoDbLedger.DEFAULT_SWEEP_SHARDS, sweep.byOperation().get("Query"),
                "one query per expiry hour of the lookback and shard: " + sweep);
        assertEquals(0, new SweepExpiredHolds(survivor, clock).sweep(), "nothing left to release");
        assertEquals(0, survivor.settle(account, hold, 100, hold, clock.instant()), "a late settlement charges nothing");
        assertInstanceOf(HoldResult.Placed.class,
                survivor.placeHold(account, "req_" + UUID.randomUUID(), 500, clock.instant(), clock.instant().plus(HOLD_TTL)),
                "the whole balance is free again");
        assertEquals(500, survivor.balance(account));
        assertEquals(500, survivor.entries(account).stream().mapToLong(LedgerEntry::amountCents).sum());
    }

    @Test
    void anExpiredHoldLapses_whenItsAccountNeedsTheMoney_andCanStillBeSettledForWhatIsLeft() {
        Ledger ledger = new DynamoDbLedger(CLIENT, TABLES);
        fund(ledger, 500);
        String slow = "req_" + UUID.randomUUID();
        ledger.placeHold(account, slow, 300, clock.instant(), clock.instant().plus(Duration.ofMinutes(1)));
        clock.advance(Duration.ofMinutes(2));

        String next = "req_" + UUID.randomUUID();
        assertInstanceOf(HoldResult.Placed.class, ledger.placeHold(account, next, 400, clock.instant(), clock.instant().plus(HOLD_TTL)));
        assertEquals(100, ledger.available(account, clock.instant()));

        assertEquals(100, ledger.settle(account, slow, 300, slow, clock.instant()), "only what the live hold leaves");
        assertEquals(0, ledger.available(account, clock.instant()));
        assertEquals(0, new SweepExpiredHolds(ledger, clock).sweep(), "the expired hold was settled, not swept");
        assertEquals(400, ledger.settle(account, next, 400, next, clock.instant()));
        assertEquals(0, ledger.balance(account));
        assertEquals(0, ledger.entries(account).stream().mapToLong(LedgerEntry::amountCents).sum());
    }

    @Test
    void aLapsedHoldIsClosedByTheSweeper_withoutGivingItsMoneyBackTwice() {
        Ledger ledger = new DynamoDbLedger(CLIENT, TABLES);
        fund(ledger, 500);
        String dead = "req_" + UUID.randomUUID();
        ledger.placeHold(account, dead, 300, clock.instant(), clock.instant().plus(Duration.ofMinutes(1)));
        clock.advance(Duration.ofMinutes(2));
        ledger.placeHold(account, "req_" + UUID.randomUUID(), 500, clock.instant(), clock.instant().plus(HOLD_TTL));

        assertEquals(1, new SweepExpiredHolds(ledger, clock).sweep());

        assertEquals(0, ledger.available(account, clock.instant()), "the live hold still has all of it");
        assertEquals(0, ledger.settle(account, dead, 100, dead, clock.instant()));
    }

    @Test
    void anExpiredHoldOlderThanTheSweepersLookback_lapsesWhenItsAccountNeedsTheMoney() {
        Ledger ledger = new DynamoDbLedger(CLIENT, TABLES);
        fund(ledger, 500);
        ledger.placeHold(account, "req_" + UUID.randomUUID(), 500, clock.instant(), clock.instant().plus(HOLD_TTL));
        clock.advance(DynamoDbLedger.DEFAULT_SWEEP_LOOKBACK.plusHours(3));

        assertEquals(0, new SweepExpiredHolds(ledger, clock).sweep(), "outside the sweeper's window");
        assertEquals(500, ledger.available(account, clock.instant()));
        assertInstanceOf(HoldResult.Placed.class,
                ledger.placeHold(account, "req_" + UUID.randomUUID(), 500, clock.instant(), clock.instant().plus(HOLD_TTL)));
    }

    private void fund(Ledger ledger, long cents) {
        assertTrue(ledger.post(new LedgerEntry("credit_" + UUID.randomUUID(), account, LedgerEntry.Kind.CREDIT, cents, "", start)));
    }
}
