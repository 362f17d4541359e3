package ai.sentx.persistence.dynamodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sentx.domain.AccountId;
import ai.sentx.domain.LedgerEntry;
import ai.sentx.port.Ledger;
import ai.sentx.port.Ledger.HoldResult;
import ai.sentx.port.RateLimits;
import ai.sentx.port.contract.Race;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The limits and the money when two instances (two adapters, each with its own SDK client, as
 * two Lambda instances would be) race on the same tables.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DynamoDbRacesIT {
    private static final TableNames TABLES = FakeDynamoDbServer.freshTables("races");
    private static final DynamoDbClient FIRST = FakeDynamoDbServer.newClient();
    private static final DynamoDbClient SECOND = FakeDynamoDbServer.newClient();

    private final RateLimits firstLimits = new DynamoDbRateLimits(FIRST, TABLES, Clock.systemUTC());
    private final RateLimits secondLimits = new DynamoDbRateLimits(SECOND, TABLES, Clock.systemUTC());
    private final Ledger firstLedger = new DynamoDbLedger(FIRST, TABLES);
    private final Ledger secondLedger = new DynamoDbLedger(SECOND, TABLES);

    @Test
    void seventyRequestsFromTwoInstances_admitExactly60_andHandOutEachCountOnce() {
        String counter = "req#key_" + UUID.randomUUID() + "#" + now().truncatedTo(ChronoUnit.MINUTES).getEpochSecond();
        Instant expiresAt = now().plus(Duration.ofMinutes(2));

        List<Long> counts = Race.run(70, i -> limits(i).hit(counter, 60, expiresAt));

        assertEquals(LongStream.rangeClosed(1, 60).boxed().toList(), counts.stream().filter(c -> c > 0).sorted().toList());
        assertEquals(10, counts.stream().filter(c -> c == -1).count());
    }

    @Test
    void tenStreamsFromTwoInstances_admitExactly5() {
        String scope = "streams#key_" + UUID.randomUUID();
        Instant t = now();

        List<Boolean> granted = Race.run(10, i -> limits(i).acquireLease(scope, "req_" + i, 5, t, t.plus(Duration.ofMinutes(20))));

        assertEquals(5, granted.stream().filter(Boolean::booleanValue).count(), "granted " + granted);
    }

    @Test
    void aStreamWhoseInstanceDied_freesItsSlotOnceItsLeaseExpires() {
        String scope = "streams#key_" + UUID.randomUUID();
        Instant t = now();
        for (int i = 0; i < 5; i++) {
            assertTrue(firstLimits.acquireLease(scope, "req_dead_" + i, 5, t, t.plus(Duration.ofMinutes(1))));
        }
        assertEquals(false, secondLimits.acquireLease(scope, "req_new", 5, t.plusSeconds(30), t.plus(Duration.ofMinutes(20))));

        // The first instance is gone without releasing anything; its leases expire after a minute.
        Instant later = t.plus(Duration.ofMinutes(2));
        List<Boolean> granted = Race.run(8, i -> secondLimits.acquireLease(scope, "req_after_" + i, 5, later, later.plus(Duration.ofMinutes(20))));

        assertEquals(5, granted.stream().filter(Boolean::booleanValue).count(), "granted " + granted);
    }

    @Test
    void twentyHoldsFromTwoInstancesAgainstABalanceForFive_placeFive_andTheLedgerSumsToTheBalance() {
        AccountId account = new AccountId("acct_" + UUID.randomUUID());
        long start = 5 * 100 + 50;
        assertTrue(firstLedger.post(new LedgerEntry("credit_" + UUID.randomUUID(), account, LedgerEntry.Kind.CREDIT, start, "", now())));
        Instant t = now();
        List<String> holds = IntStream.range(0, 20).mapToObj(i -> "req_" + i + "_" + UUID.randomUUID()).toList();

        List<HoldResult> placed = Race.run(20, i -> ledger(i).placeHold(account, holds.get(i), 100, t, t.plus(Duration.ofMinutes(20))));

        assertEquals(5, placed.stream().filter(HoldResult.Placed.class::isInstance).count(), "placed " + placed);
        assertEquals(50, secondLedger.available(account, t));
        // Each request settles on the other instance than the one that placed it (no memo there),
        // and overruns its hold: the charges stop exactly at the balance.
        List<Long> charges = Race.run(20, i -> ledger(i + 1).settle(account, holds.get(i), 160, "req_" + i, t.plusSeconds(1)));
        long charged = charges.stream().mapToLong(Long::longValue).sum();
        assertEquals(start, charged, "charges " + charges);
        assertEquals(0, firstLedger.balance(account));
        assertEquals(firstLedger.balance(account), sum(secondLedger.entries(account)));
        assertEquals(5, secondLedger.entries(account).stream().filter(e -> e.kind() == LedgerEntry.Kind.USAGE).count());
    }

    @Test
    void theSameSettlementFromTwoInstances_chargesOnce() {
        AccountId account = new AccountId("acct_" + UUID.randomUUID());
        assertTrue(firstLedger.post(new LedgerEntry("credit_" + UUID.randomUUID(), account, LedgerEntry.Kind.CREDIT, 500, "", now())));
        Instant t = now();
        String hold = "req_" + UUID.randomUUID();
        firstLedger.placeHold(account, hold, 200, t, t.plus(Duration.ofMinutes(20)));

        List<Long> charges = Race.run(10, i -> ledger(i).settle(account, hold, 150, hold, t.plusSeconds(1)));

        assertEquals(List.of(150L, 150L, 150L, 150L, 150L, 150L, 150L, 150L, 150L, 150L), charges);
        assertEquals(350, secondLedger.balance(account));
        assertEquals(350, firstLedger.available(account, t.plusSeconds(1)));
        assertEquals(List.of(-150L), secondLedger.entries(account).stream()
                .filter(e -> e.kind() == LedgerEntry.Kind.USAGE).map(LedgerEntry::amountCents).toList());
    }

    private RateLimits limits(int i) {
        return i % 2 == 0 ? firstLimits : secondLimits;
    }

    private Ledger ledger(int i) {
        return i % 2 == 0 ? firstLedger : secondLedger;
    }

    private static long sum(List<LedgerEntry> entries) {
        return entries.stream().mapToLong(LedgerEntry::amountCents).sum();
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS);
    }
}
