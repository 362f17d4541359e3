package ai.sentx.port.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sentx.domain.AccountId;
import ai.sentx.domain.EndUser;
import ai.sentx.domain.KeyId;
import ai.sentx.domain.UsagePage;
import ai.sentx.domain.UsageQuery;
import ai.sentx.domain.UsageRecord;
import ai.sentx.port.UsageRecords;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * What every {@link UsageRecords} must do (CONTRACT §9, {@code GET /account/usage}): records are
 * stored once per id, returned newest first (ties by id, descending) within one account only,
 * filtered by key, end user, session and time, and paged so that following {@code after} visits
 * every matching record exactly once.
 *
 * <p>Each case uses fresh random account and record ids, so a backing store shared by the cases
 * of one run serves them all.
 */
public interface UsageRecordsContract {
    /** The records to test; they may share a backing store with earlier ones, ids never collide. */
    UsageRecords newUsageRecords();

    @Test
    default void storesOnce_whenTheSameRecordIsAppendedTwice() {
        UsageRecords usage = newUsageRecords();
        AccountId account = anAccount();
        UsageRecord record = aRecord(account, now(), aKey(), EndUser.NONE);

        usage.append(record);
        usage.append(record);

        assertEquals(new UsagePage(List.of(record), false), usage.query(everything(account, 100)));
    }

    @Test
    default void keepsTheFirst_whenASecondRecordArrivesWithTheSameId() {
        UsageRecords usage = newUsageRecords();
        AccountId account = anAccount();
        UsageRecord first = aRecord(account, now(), aKey(), EndUser.NONE);
        UsageRecord second = new UsageRecord(first.id(), account, first.keyId(), first.keyHint(),
                new EndUser("mallory", null, null), "sentx-v1", 9_999, 9_999, 500, true, "length", first.at());

        usage.append(first);
        usage.append(second);

        assertEquals(new UsagePage(List.of(first), false), usage.query(everything(account, 100)));
    }

    @Test
    default void keepsEveryRecordOnce_whenAppendsRace() {
        UsageRecords usage = newUsageRecords();
        AccountId account = anAccount();
        Instant t = now();
        KeyId key = aKey();
        List<UsageRecord> records = IntStream.range(0, 200)
                .mapToObj(i -> aRecord(account, t.minusSeconds(i % 37), key, EndUser.NONE))
                .toList();

        // Every record is appended by two threads at once, as a retried write would be.
        Race.run(16, i -> {
            for (int r = i % 8; r < records.size(); r += 8) {
                usage.append(records.get(r));
            }
            return null;
        });

        assertEquals(sorted(records), usage.query(everything(account, 1000)).data());
    }

    @Test
    default void returnsNewestFirst_andTiesByIdDescending() {
        UsageRecords usage = newUsageRecords();
        AccountId account = anAccount();
        Instant t = now();
        KeyId key = aKey();
        List<UsageRecord> records = List.of(
                aRecord(account, t.minusSeconds(60), key, EndUser.NONE),
                aRecord(account, t, key, EndUser.NONE),
                aRecord(account, t, key, EndUser.NONE),
                aRecord(account, t, key, EndUser.NONE),
                aRecord(account, t.minusSeconds(30), key, EndUser.NONE));
        records.forEach(usage::append);

        UsagePage page = usage.query(everything(account, 100));

        assertEquals(sorted(records), page.data());
        assertFalse(page.hasMore());
    }

    @Test
    default void returnsAnEmptyPage_forAnAccountWithoutRecords() {
        UsageRecords usage = newUsageRecords();

        assertEquals(new UsagePage(List.of(), false), usage.query(everything(anAccount(), 10)));
    }

    @Test
    default void neverReturnsAnotherAccountsRecords() {
        UsageRecords usage = newUsageRecords();
        AccountId mine = anAccount();
        AccountId theirs = anAccount();
        Instant t = now();
        KeyId key = aKey();
        EndUser alice = new EndUser("alice", "Alice", "s1");
        UsageRecord own = aRecord(mine, t, key, alice);
        UsageRecord foreign = aRecord(theirs, t.plusSeconds(1), key, alice);
        usage.append(own);
        usage.append(foreign);

        assertEquals(List.of(own), usage.query(everything(mine, 100)).data());
        assertEquals(List.of(own), usage.query(new UsageQuery(mine, key, "alice", "s1", null, null, null, 100)).data());
        assertEquals(List.of(foreign), usage.query(everything(theirs, 100)).data());
    }

    @Test
    default void filtersByKey() {
        UsageRecords usage = newUsageRecords();
        AccountId account = anAccount();
        Instant t = now();
        KeyId wanted = aKey();
        UsageRecord first = aRecord(account, t.minusSeconds(2), wanted, EndUser.NONE);
        UsageRecord second = aRecord(account, t, wanted, EndUser.NONE);
        usage.append(first);
        usage.append(aRecord(account, t.minusSeconds(1), aKey(), EndUser.NONE));
        usage.append(second);

        UsagePage page = usage.query(new UsageQuery(account, wanted, null, null, null, null, null, 100));

        assertEquals(List.of(second, first), page.data());
    }

    @Test
    default void filtersByEndUser() {
        UsageRecords usage = newUsageRecords();
        AccountId account = anAccount();
        Instant t = now();
        KeyId key = aKey();
        UsageRecord alice = aRecord(account, t, key, new EndUser("alice", "Aléx", null));
        usage.append(alice);
        usage.append(aRecord(account, t.minusSeconds(1), key, new EndUser("bob", null, null)));
        usage.append(aRecord(account, t.minusSeconds(2), key, EndUser.NONE));

        UsagePage page = usage.query(new UsageQuery(account, null, "alice", null, null, null, null, 100));

        assertEquals(List.of(alice), page.data());
    }

    @Test
    default void filtersBySession() {
        UsageRecords usage = newUsageRecords();
        AccountId account = anAccount();
        Instant t = now();
        KeyId key = aKey();
        UsageRecord inSession = aRecord(account, t.minusSeconds(5), key, new EndUser("alice", null, "conv-1"));
        usage.append(inSession);
        usage.append(aRecord(account, t.minusSeconds(4), key, new EndUser("alice", null, "conv-2")));
        usage.append(aRecord(account, t.minusSeconds(3), key, EndUser.NONE));

        UsagePage page = usage.query(new UsageQuery(account, null, null, "conv-1", null, null, null, 100));

        assertEquals(List.of(inSession), page.data());
    }

    @Test
    default void filtersByTime_fromInclusive_toExclusive() {
        UsageRecords usage = newUsageRecords();
        AccountId account = anAccount();
        Instant from = now().minus(Duration.ofHours(1));
        Instant to = from.plus(Duration.ofMinutes(10));
        KeyId key = aKey();
        UsageRecord before = aRecord(account, from.minusSeconds(1), key, EndUser.NONE);
        UsageRecord atFrom = aRecord(account, from, key, EndUser.NONE);
        UsageRecord inside = aRecord(account, from.plus(Duration.ofMinutes(5)), key, EndUser.NONE);
        UsageRecord justBeforeTo = aRecord(account, to.minusSeconds(1), key, EndUser.NONE);
        UsageRecord atTo = aRecord(account, to, key, EndUser.NONE);
        List.of(before, atFrom, inside, justBeforeTo, atTo).forEach(usage::append);

        UsagePage window = usage.query(new UsageQuery(account, null, null, null, from, to, null, 100));
        UsagePage sinceFrom = usage.query(new UsageQuery(account, null, null, null, from, null, null, 100));
        UsagePage untilTo = usage.query(new UsageQuery(account, null, null, null, null, to, null, 100));

        assertEquals(List.of(justBeforeTo, inside, atFrom), window.data());
        assertEquals(List.of(atTo, justBeforeTo, inside, atFrom), sinceFrom.data());
        assertEquals(List.of(justBeforeTo, inside, atFrom, before), untilTo.data());
    }

    @Test
    default void pagesThroughEveryRecordExactlyOnce() {
        UsageRecords usage = newUsageRecords();
        AccountId account = anAccount();
        Instant t = now();
        KeyId key = aKey();
        // Several records share a second, so pages must break ties the same way every time.
        List<UsageRecord> records = IntStream.range(0, 23)
                .mapToObj(i -> aRecord(account, t.minusSeconds(i / 3), key, EndUser.NONE))
                .toList();
        records.forEach(usage::append);

        List<UsagePage> pages = allPages(usage, everything(account, 5));

        assertEquals(5, pages.size());
        assertEquals(sorted(records), pages.stream().flatMap(p -> p.data().stream()).toList());
        pages.subList(0, 4).forEach(p -> assertTrue(p.hasMore(), "an inner page says there is more"));
        assertEquals(3, pages.get(4).data().size());
    }

    @Test
    default void reportsNoMore_whenThePageEndsExactlyAtTheLastRecord() {
        UsageRecords usage = newUsageRecords();
        AccountId account = anAccount();
        Instant t = now();
        KeyId key = aKey();
        List<UsageRecord> records = IntStream.range(0, 10)
                .mapToObj(i -> aRecord(account, t.minusSeconds(i), key, EndUser.NONE))
                .toList();
        records.forEach(usage::append);

        UsagePage first = usage.query(everything(account, 5));
        UsagePage second = usage.query(after(everything(account, 5), first));

        assertTrue(first.hasMore());
        assertEquals(5, second.data().size());
        assertFalse(second.hasMore());
    }

    @Test
    default void pagesThroughFilteredRecords() {
        UsageRecords usage = newUsageRecords();
        AccountId account = anAccount();
        Instant t = now();
        Instant from = t.minus(Duration.ofMinutes(20));
        Instant to = t;
        KeyId key = aKey();
        List<UsageRecord> records = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            EndUser user = new EndUser(i % 3 == 0 ? "alice" : "bob", null, null);
            records.add(aRecord(account, t.minusSeconds(30L * i), key, user));
        }
        records.forEach(usage::append);
        UsageQuery query = new UsageQuery(account, key, "alice", null, from, to, null, 4);

        List<UsagePage> pages = allPages(usage, query);

        List<UsageRecord> expected = sorted(records.stream().filter(query::matches).toList());
        assertEquals(expected, pages.stream().flatMap(p -> p.data().stream()).toList());
        assertFalse(pages.get(pages.size() - 1).hasMore());
        assertTrue(expected.size() > 8, "the case needs several pages");
    }

    private static List<UsagePage> allPages(UsageRecords usage, UsageQuery query) {
        List<UsagePage> pages = new ArrayList<>();
        UsagePage page = usage.query(query);
        pages.add(page);
        while (page.hasMore()) {
            assertTrue(pages.size() < 1_000, "paging does not end");
            page = usage.query(after(query, page));
            pages.add(page);
        }
        return pages;
    }

    private static UsageQuery after(UsageQuery query, UsagePage page) {
        String last = page.data().get(page.data().size() - 1).id();
        return new UsageQuery(query.accountId(), query.keyId(), query.user(), query.session(), query.from(),
                query.to(), last, query.limit());
    }

    private static UsageQuery everything(AccountId account, int limit) {
        return new UsageQuery(account, null, null, null, null, null, null, limit);
    }

    private static List<UsageRecord> sorted(List<UsageRecord> records) {
        // Newest first, ties by id descending: the order every page must follow.
        Comparator<UsageRecord> newestFirst = Comparator.comparing(UsageRecord::at).thenComparing(UsageRecord::id);
        return records.stream().sorted(newestFirst.reversed()).toList();
    }

    private static AccountId anAccount() {
        return new AccountId("acct_" + UUID.randomUUID());
    }

    private static KeyId aKey() {
        return new KeyId("key_" + UUID.randomUUID());
    }

    private static UsageRecord aRecord(AccountId account, Instant at, KeyId key, EndUser endUser) {
        return new UsageRecord("req_" + UUID.randomUUID(), account, key, "sk-...abcd", endUser, "sentx-v1",
                120, 40, 1, false, "stop", at);
    }

    /** Second precision, so a store that keeps coarser times than the JVM still compares equal. */
    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS);
    }
}
