package ai.sentx.application;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sentx.domain.AccountId;
import ai.sentx.domain.LedgerEntry;
import ai.sentx.domain.LedgerLine;
import ai.sentx.domain.LedgerPage;
import ai.sentx.port.Ledger;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link ListLedger}: newest first, a running balance, and paging that visits every entry once. */
class ListLedgerTest {
    private static final AccountId ACCOUNT = new AccountId("acct_ada");
    private static final Instant T = Instant.parse("2026-11-29T19:51:00Z");
    private static final List<LedgerEntry> ENTRIES = List.of(
            entry("topup_cs_1", LedgerEntry.Kind.CREDIT, 2_500, 0),
            entry("req_1", LedgerEntry.Kind.USAGE, -12, 1),
            entry("refund_ch_1_1000", LedgerEntry.Kind.REFUND, -1_000, 2),
            entry("req_2", LedgerEntry.Kind.USAGE, -3, 3),
            entry("dispute_dp_1", LedgerEntry.Kind.DISPUTE, -1_500, 4));

    private final ListLedger listLedger = new ListLedger(new EntriesOnly(ENTRIES));

    @Test
    void listsNewestFirst_withTheBalanceAfterEachEntry() {
        LedgerPage page = listLedger.list(ACCOUNT, null, 100);

        assertEquals(List.of("dispute_dp_1", "req_2", "refund_ch_1_1000", "req_1", "topup_cs_1"), ids(page));
        assertEquals(List.of(-15L, 1_485L, 1_488L, 2_488L, 2_500L),
                page.data().stream().map(LedgerLine::balanceAfterCents).toList());
        assertFalse(page.hasMore());
    }

    @Test
    void pagesWithLimitAndAfter_untilNothingIsLeft() {
        LedgerPage first = listLedger.list(ACCOUNT, null, 2);
        LedgerPage second = listLedger.list(ACCOUNT, "req_2", 2);
        LedgerPage third = listLedger.list(ACCOUNT, "req_1", 2);

        assertEquals(List.of("dispute_dp_1", "req_2"), ids(first));
        assertTrue(first.hasMore());
        assertEquals(List.of("refund_ch_1_1000", "req_1"), ids(second));
        assertTrue(second.hasMore());
        assertEquals(List.of("topup_cs_1"), ids(third));
        assertFalse(third.hasMore());
    }

    @Test
    void givesAnEmptyPage_afterTheOldestOrAnUnknownEntry() {
        assertEquals(new LedgerPage(List.of(), false), listLedger.list(ACCOUNT, "topup_cs_1", 10));
        assertEquals(new LedgerPage(List.of(), false), listLedger.list(ACCOUNT, "nope", 10));
    }

    @Test
    void refusesALimitOutside1To1000() {
        assertThrows(IllegalArgumentException.class, () -> listLedger.list(ACCOUNT, null, 0));
        assertThrows(IllegalArgumentException.class, () -> listLedger.list(ACCOUNT, null, 1001));
    }

    private static List<String> ids(LedgerPage page) {
        return page.data().stream().map(l -> l.entry().id()).toList();
    }

    private static LedgerEntry entry(String id, LedgerEntry.Kind kind, long cents, int second) {
        return new LedgerEntry(id, ACCOUNT, kind, cents, "", T.plusSeconds(second));
    }

    /** A ledger that only lists fixed entries; the statement needs nothing else. */
    private record EntriesOnly(List<LedgerEntry> entries) implements Ledger {
        @Override
        public List<LedgerEntry> entries(AccountId account) {
            return entries;
        }

        @Override
        public long balance(AccountId account) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long available(AccountId account, Instant now) {
            throw new UnsupportedOperationException();
        }

        @Override
        public HoldResult placeHold(AccountId account, String holdId, long amountCents, Instant now, Instant expiresAt) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long settle(AccountId account, String holdId, long costCents, String reference, Instant now) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void release(AccountId account, String holdId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean post(LedgerEntry entry) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int releaseExpiredHolds(Instant now) {
            throw new UnsupportedOperationException();
        }
    }
}
