package ai.sentx.port.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sentx.domain.AccountId;
import ai.sentx.domain.LedgerEntry;
import ai.sentx.domain.LedgerEntry.Kind;
import ai.sentx.port.Ledger;
import ai.sentx.port.Ledger.HoldResult;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Ledger} must do (CONTRACT §6): the balance is the sum of the entries, entries
 * and settlements are idempotent on their ids, holds reserve money until settled, released or
 * expired, and no interleaving of holds and settlements takes a balance below zero.
 *
 * <p>Each case uses fresh random account and entry ids, and times near the real clock, so a
 * backing store shared by the cases of one run (one DynamoDB table) serves them all; the cases
 * assume they run one after another, as JUnit runs them by default.
 */
public interface LedgerContract {
    /** A ledger to test; it may share its backing store with earlier ones, ids never collide. */
    Ledger newLedger();

    /**
     * How many operations each racing thread performs in the storm cases. The default keeps a run
     * against a networked store short; an in-process implementation should raise it to thousands,
     * because on a machine with few cores a missing lock only shows over many overlapping calls.
     */
    default int stressOperations() {
        return 5;
    }

    @Test
    default void balanceIsTheSumOfTheEntries() {
        Ledger ledger = newLedger();
        AccountId account = anAccount();
        Instant t = now();
        LedgerEntry first = entry(account, Kind.CREDIT, 1_000, t);
        LedgerEntry second = entry(account, Kind.ADJUSTMENT, -150, t.plusSeconds(1));
        LedgerEntry third = entry(account, Kind.CREDIT, 25, t.plusSeconds(2));

        assertTrue(ledger.post(first));
        assertTrue(ledger.post(second));
        assertTrue(ledger.post(third));

        assertEquals(875, ledger.balance(account));
        assertEquals(875, ledger.available(account, t.plusSeconds(3)));
        assertEquals(List.of(first, second, third), ledger.entries(account));
    }

    @Test
    default void reportsAZeroBalanceAndNoEntries_forAnUnknownAccount() {
        Ledger ledger = newLedger();
        AccountId unknown = anAccount();

        assertEquals(0, ledger.balance(unknown));
        assertEquals(0, ledger.available(unknown, now()));
        assertEquals(List.of(), ledger.entries(unknown));
    }

    @Test
    default void appliesAnEntryOnce_whenTheSamePostArrivesTwice() {
        Ledger ledger = newLedger();
        AccountId account = anAccount();
        LedgerEntry credit = entry(account, Kind.CREDIT, 700, now());

        assertTrue(ledger.post(credit));
        assertFalse(ledger.post(credit));

        assertEquals(700, ledger.balance(account));
        assertEquals(List.of(credit), ledger.entries(account));
    }

    @Test
    default void appliesAnEntryOnce_whenTheSamePostArrivesFromManyThreads() {
        Ledger ledger = newLedger();
        AccountId account = anAccount();
        LedgerEntry credit = entry(account, Kind.CREDIT, 2_500, now());

        List<Boolean> applied = Race.run(8, i -> ledger.post(credit));

        assertEquals(1, applied.stream().filter(Boolean::booleanValue).count(), "applied " + applied);
        assertEquals(2_500, ledger.balance(account));
        assertEquals(List.of(credit), ledger.entries(account));
    }

    @Test
    default void placesAHold_whenTheAvailableBalanceCoversIt() {
        Ledger ledger = newLedger();
        AccountId account = funded(ledger, 500);
        Instant t = now();

        HoldResult result = ledger.placeHold(account, anId("hold"), 200, t, t.plus(ttl()));

        assertInstanceOf(HoldResult.Placed.class, result);
        assertEquals(300, ledger.available(account, t));
        assertEquals(500, ledger.balance(account), "a hold reserves money, it does not charge it");
    }

    @Test
    default void refusesAHold_whenTheAvailableBalanceDoesNotCoverIt() {
        Ledger ledger = newLedger();
        AccountId account = funded(ledger, 100);
        Instant t = now();

        HoldResult tooBig = ledger.placeHold(account, anId("hold"), 101, t, t.plus(ttl()));
        assertEquals(new HoldResult.Insufficient(100), tooBig);

        assertInstanceOf(HoldResult.Placed.class, ledger.placeHold(account, anId("hold"), 60, t, t.plus(ttl())));
        HoldResult conflicting = ledger.placeHold(account, anId("hold"), 50, t, t.plus(ttl()));

        assertEquals(new HoldResult.Insufficient(40), conflicting);
        assertEquals(40, ledger.available(account, t));
    }

    @Test
    default void reservesOnce_whenTheSameHoldIsPlacedTwice() {
        Ledger ledger = newLedger();
        AccountId account = funded(ledger, 500);
        Instant t = now();
        String hold = anId("hold");

        assertInstanceOf(HoldResult.Placed.class, ledger.placeHold(account, hold, 300, t, t.plus(ttl())));
        assertInstanceOf(HoldResult.Placed.class, ledger.placeHold(account, hold, 300, t, t.plus(ttl())));

        assertEquals(200, ledger.available(account, t));
    }

    @Test
    default void ignoresExpiredHolds_inTheAvailableBalance() {
        Ledger ledger = newLedger();
        AccountId account = funded(ledger, 500);
        Instant t = now();
        ledger.placeHold(account, anId("hold"), 100, t, t.plus(Duration.ofHours(1)));
        ledger.placeHold(account, anId("hold"), 300, t, t.plus(Duration.ofMinutes(1)));

        assertEquals(100, ledger.available(account, t));
        Instant later = t.plus(Duration.ofMinutes(2));
        assertEquals(400, ledger.available(account, later), "only the hour-long hold still counts");
        assertInstanceOf(HoldResult.Placed.class, ledger.placeHold(account, anId("hold"), 400, later, later.plus(ttl())));
        assertEquals(0, ledger.available(account, later));
    }

    @Test
    default void keepsTheHoldsOfEachAccountApart() {
        Ledger ledger = newLedger();
        AccountId first = funded(ledger, 300);
        AccountId second = funded(ledger, 300);
        Instant t = now();

        ledger.placeHold(first, anId("hold"), 300, t, t.plus(ttl()));

        assertEquals(0, ledger.available(first, t));
        assertEquals(300, ledger.available(second, t));
        assertInstanceOf(HoldResult.Placed.class, ledger.placeHold(second, anId("hold"), 300, t, t.plus(ttl())));
    }

    @Test
    default void chargesTheCostAndReleasesTheHold_whenSettled() {
        Ledger ledger = newLedger();
        AccountId account = funded(ledger, 1_000);
        Instant t = now();
        String hold = anId("hold");
        ledger.placeHold(account, hold, 300, t, t.plus(ttl()));

        long charged = ledger.settle(account, hold, 120, "req_settled", t.plusSeconds(5));

        assertEquals(120, charged);
        assertEquals(880, ledger.balance(account));
        assertEquals(880, ledger.available(account, t.plusSeconds(5)), "the hold is gone");
        LedgerEntry usage = usageEntry(ledger, account, hold);
        assertEquals(Kind.USAGE, usage.kind());
        assertEquals(-120, usage.amountCents());
        assertEquals("req_settled", usage.reference());
        assertEquals(account, usage.accountId());
        assertBalanceIsTheSumOfEntries(ledger, account);
    }

    @Test
    default void chargesOnce_whenTheSameSettlementArrivesTwice() {
        Ledger ledger = newLedger();
        AccountId account = funded(ledger, 1_000);
        Instant t = now();
        String hold = anId("hold");
        ledger.placeHold(account, hold, 300, t, t.plus(ttl()));

        long first = ledger.settle(account, hold, 120, "req", t.plusSeconds(5));
        long second = ledger.settle(account, hold, 120, "req", t.plusSeconds(6));
        long differentCost = ledger.settle(account, hold, 250, "req", t.plusSeconds(7));

        assertEquals(120, first);
        assertEquals(120, second, "a repeated settlement reports the first charge");
        assertEquals(120, differentCost, "a repeated settlement reports the first charge");
        assertEquals(880, ledger.balance(account));
        assertEquals(1, usageEntries(ledger, account).size());
    }

    @Test
    default void capsTheCharge_soTheBalanceNeverGoesNegative() {
        Ledger ledger = newLedger();
        AccountId account = funded(ledger, 500);
        Instant t = now();
        String small = anId("hold");
        String large = anId("hold");
        ledger.placeHold(account, small, 100, t, t.plus(ttl()));
        ledger.placeHold(account, large, 300, t, t.plus(ttl()));

        long smallCharge = ledger.settle(account, small, 1_000, "req_small", t.plusSeconds(1));

        assertEquals(200, smallCharge, "its hold (100) plus what no other hold reserves (100)");
        assertEquals(300, ledger.balance(account));
        assertEquals(0, ledger.available(account, t.plusSeconds(1)), "the other hold is intact");

        long largeCharge = ledger.settle(account, large, 1_000, "req_large", t.plusSeconds(2));

        assertEquals(300, largeCharge);
        assertEquals(0, ledger.balance(account));
        assertBalanceIsTheSumOfEntries(ledger, account);
    }

    @Test
    default void chargesOnlyWhatIsLeft_whenAnExpiredButUnsweptHoldIsSettled() {
        Ledger ledger = newLedger();
        AccountId account = funded(ledger, 500);
        Instant t = now();
        String expired = anId("hold");
        ledger.placeHold(account, expired, 200, t, t.plus(Duration.ofMinutes(1)));
        Instant later = t.plus(Duration.ofMinutes(2));
        ledger.placeHold(account, anId("hold"), 400, later, later.plus(ttl()));

        long charged = ledger.settle(account, expired, 200, "req_late", later.plusSeconds(1));

        // The expired hold reserves nothing any more: the charge is capped by the balance minus
        // the other live holds (500 - 400), which keeps balance - held >= 0.
        assertEquals(100, charged, "the live hold of 400 keeps its money");
        assertEquals(400, ledger.balance(account));
        assertEquals(0, ledger.available(account, later.plusSeconds(1)));
    }

    @Test
    default void chargesNothing_whenSettledAfterRelease() {
        Ledger ledger = newLedger();
        AccountId account = funded(ledger, 500);
        Instant t = now();
        String hold = anId("hold");
        ledger.placeHold(account, hold, 200, t, t.plus(ttl()));

        ledger.release(account, hold);
        ledger.release(account, hold);
        assertEquals(500, ledger.available(account, t), "released once, reserved nothing");

        assertEquals(0, ledger.settle(account, hold, 100, "req", t.plusSeconds(1)));
        assertEquals(0, ledger.settle(account, hold, 100, "req", t.plusSeconds(2)));
        assertEquals(500, ledger.balance(account));
        assertEquals(List.of(), chargesOf(ledger, account));
    }

    @Test
    default void chargesNothing_whenSettledAfterTheSweeperReleasedTheHold() {
        Ledger ledger = newLedger();
        AccountId account = funded(ledger, 500);
        Instant t = now();
        String hold = anId("hold");
        ledger.placeHold(account, hold, 200, t, t.plus(Duration.ofMinutes(1)));

        assertTrue(ledger.releaseExpiredHolds(t.plus(Duration.ofMinutes(2))) >= 1);

        assertEquals(0, ledger.settle(account, hold, 100, "req", t.plus(Duration.ofMinutes(3))));
        assertEquals(500, ledger.balance(account));
        assertEquals(List.of(), chargesOf(ledger, account));
    }

    @Test
    default void releasesOnlyExpiredHolds_andCountsThem() {
        Ledger ledger = newLedger();
        AccountId account = funded(ledger, 1_000);
        // Days ahead of the other cases, so a store shared with them holds no hold expiring in
        // (t, t + 3 min] but the three below; the first sweep drains whatever they left behind.
        Instant t = now().plus(Duration.ofDays(7));
        ledger.releaseExpiredHolds(t);
        String first = anId("hold");
        String second = anId("hold");
        String live = anId("hold");
        ledger.placeHold(account, first, 100, t, t.plus(Duration.ofMinutes(1)));
        ledger.placeHold(account, second, 100, t, t.plus(Duration.ofMinutes(2)));
        ledger.placeHold(account, live, 100, t, t.plus(Duration.ofHours(1)));
        Instant sweep = t.plus(Duration.ofMinutes(3));

        assertEquals(2, ledger.releaseExpiredHolds(sweep));
        assertEquals(0, ledger.releaseExpiredHolds(sweep), "nothing left to release");

        assertEquals(900, ledger.available(account, sweep), "the live hold still reserves");
        assertEquals(0, ledger.settle(account, first, 50, "req_first", sweep));
        assertEquals(50, ledger.settle(account, live, 50, "req_live", sweep));
        assertEquals(950, ledger.balance(account));
    }

    @Test
    default void chargesNothing_whenSettlingAHoldThatWasNeverPlaced() {
        Ledger ledger = newLedger();
        AccountId account = funded(ledger, 500);

        assertEquals(0, ledger.settle(account, anId("hold"), 100, "req", now()));
        assertEquals(500, ledger.balance(account));
    }

    @Test
    default void changesNothing_whenReleasingAHoldThatWasNeverPlaced() {
        Ledger ledger = newLedger();
        AccountId account = funded(ledger, 500);

        ledger.release(account, anId("hold"));
        ledger.release(anAccount(), anId("hold"));

        assertEquals(500, ledger.balance(account));
        assertEquals(500, ledger.available(account, now()));
    }

    @Test
    default void letsARefundTakeTheBalanceBelowZero_andThenRefusesHolds() {
        Ledger ledger = newLedger();
        AccountId account = funded(ledger, 100);
        Instant t = now();

        assertTrue(ledger.post(entry(account, Kind.REFUND, -150, t)));

        assertEquals(-50, ledger.balance(account));
        assertEquals(-50, ledger.available(account, t));
        assertEquals(new HoldResult.Insufficient(-50), ledger.placeHold(account, anId("hold"), 1, t, t.plus(ttl())));

        assertTrue(ledger.post(entry(account, Kind.DISPUTE, -10, t.plusSeconds(1))));
        assertEquals(-60, ledger.balance(account));
        assertBalanceIsTheSumOfEntries(ledger, account);
    }

    @Test
    default void placesExactlyTheHoldsTheBalancePaysFor_whenManyRequestsRace() {
        Ledger ledger = newLedger();
        long hold = 100;
        // Pays for exactly five holds, with 50 cents over that a sixth cannot use.
        long start = 5 * hold + 50;
        AccountId account = funded(ledger, start);
        Instant t = now();
        List<String> holds = IntStream.range(0, 20).mapToObj(i -> anId("hold_" + i)).toList();

        List<HoldResult> placed = Race.run(20, i -> ledger.placeHold(account, holds.get(i), hold, t, t.plus(ttl())));

        assertEquals(5, placed.stream().filter(HoldResult.Placed.class::isInstance).count(), "placed " + placed);
        assertEquals(start - 5 * hold, ledger.available(account, t));

        // Every request overruns its hold: the first settlement takes the free 50 cents, the
        // others their holds, and no order of settlements goes below zero.
        List<Long> charges = Race.run(20, i -> ledger.settle(account, holds.get(i), 160, "req_" + i, t.plusSeconds(1)));

        long charged = charges.stream().mapToLong(Long::longValue).sum();
        assertEquals(start, charged);
        assertEquals(0, ledger.balance(account));
        assertEquals(start - charged, ledger.balance(account));
        assertEquals(5, usageEntries(ledger, account).size());
        assertBalanceIsTheSumOfEntries(ledger, account);
    }

    @Test
    default void chargesOnce_whenTheSameSettlementArrivesFromManyThreads() {
        Ledger ledger = newLedger();
        AccountId account = funded(ledger, 500);
        Instant t = now();
        String hold = anId("hold");
        ledger.placeHold(account, hold, 200, t, t.plus(ttl()));

        List<Long> charges = Race.run(8, i -> ledger.settle(account, hold, 150, "req", t.plusSeconds(1)));

        assertEquals(List.of(150L, 150L, 150L, 150L, 150L, 150L, 150L, 150L), charges);
        assertEquals(350, ledger.balance(account));
        assertEquals(1, usageEntries(ledger, account).size());
        assertBalanceIsTheSumOfEntries(ledger, account);
    }

    @Test
    default void keepsTheBooksExact_whenManyRequestsOverrunTheirHoldsConcurrently() {
        Ledger ledger = newLedger();
        int racers = 8;
        int cycles = stressOperations();
        // Pays for about half of the cycles, so the balance runs out while the storm goes on.
        long start = racers * cycles * 40L;
        AccountId account = funded(ledger, start);
        Instant t = now();

        List<Long> charges = Race.run(racers, i -> {
            long charged = 0;
            for (int cycle = 0; cycle < cycles; cycle++) {
                String hold = anId("hold_" + i + "_" + cycle);
                if (ledger.placeHold(account, hold, 50, t, t.plus(ttl())) instanceof HoldResult.Placed) {
                    charged += ledger.settle(account, hold, 80, "req_" + i + "_" + cycle, t);
                }
            }
            return charged;
        });

        long charged = charges.stream().mapToLong(Long::longValue).sum();
        long balance = ledger.balance(account);
        assertTrue(balance >= 0, "balance " + balance);
        assertEquals(start - charged, balance, "every charge is in the balance, once");
        assertEquals(balance, ledger.available(account, t), "no hold is left behind");
        assertBalanceIsTheSumOfEntries(ledger, account);
    }

    private static Duration ttl() {
        return Duration.ofMinutes(20);
    }

    private static AccountId anAccount() {
        return new AccountId("acct_" + UUID.randomUUID());
    }

    private static String anId(String prefix) {
        return prefix + "_" + UUID.randomUUID();
    }

    /** Second precision, so a store that keeps coarser times than the JVM still compares equal. */
    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS);
    }

    private static LedgerEntry entry(AccountId account, Kind kind, long cents, Instant at) {
        return new LedgerEntry(anId("entry"), account, kind, cents, "ref_" + kind, at);
    }

    private static AccountId funded(Ledger ledger, long cents) {
        AccountId account = anAccount();
        assertTrue(ledger.post(entry(account, Kind.CREDIT, cents, now())));
        return account;
    }

    private static List<LedgerEntry> usageEntries(Ledger ledger, AccountId account) {
        return ledger.entries(account).stream().filter(e -> e.kind() == Kind.USAGE).toList();
    }

    private static List<LedgerEntry> chargesOf(Ledger ledger, AccountId account) {
        return ledger.entries(account).stream().filter(e -> e.amountCents() < 0).toList();
    }

    private static LedgerEntry usageEntry(Ledger ledger, AccountId account, String holdId) {
        List<LedgerEntry> found = ledger.entries(account).stream().filter(e -> e.id().equals(holdId)).toList();
        assertEquals(1, found.size(), "entries with the hold's id: " + found);
        return found.get(0);
    }

    private static void assertBalanceIsTheSumOfEntries(Ledger ledger, AccountId account) {
        long sum = ledger.entries(account).stream().mapToLong(LedgerEntry::amountCents).sum();
        assertEquals(sum, ledger.balance(account), "balance vs the sum of the entries");
    }
}
