package ai.sentx.persistence.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.sentx.domain.AccountId;
import ai.sentx.domain.EndUser;
import ai.sentx.domain.KeyId;
import ai.sentx.domain.UsagePage;
import ai.sentx.domain.UsageQuery;
import ai.sentx.domain.UsageRecord;
import ai.sentx.port.UsageRecords;
import ai.sentx.port.contract.UsageRecordsContract;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Runs the {@link UsageRecordsContract} on {@link InMemoryUsageRecords}, and checks its cursors. */
class InMemoryUsageRecordsTest implements UsageRecordsContract {
    private static final Instant T = Instant.parse("2026-11-29T19:51:00Z");

    @Override
    public UsageRecords newUsageRecords() {
        return new InMemoryUsageRecords();
    }

    @Test
    void returnsAnEmptyPage_whenTheCursorNamesNoRecordOfTheAccount() {
        InMemoryUsageRecords usage = new InMemoryUsageRecords();
        AccountId mine = new AccountId("acct_1");
        usage.append(record("req_1", mine, T));
        usage.append(record("req_2", new AccountId("acct_2"), T));

        assertEquals(new UsagePage(List.of(), false), usage.query(new UsageQuery(mine, null, null, null, null, null, "req_2", 10)));
        assertEquals(new UsagePage(List.of(), false), usage.query(new UsageQuery(mine, null, null, null, null, null, "nope", 10)));
    }

    @Test
    void continuesBeforeTheTimeBound_whenTheCursorIsAfterIt() {
        InMemoryUsageRecords usage = new InMemoryUsageRecords();
        AccountId mine = new AccountId("acct_1");
        UsageRecord newest = record("req_3", mine, T.plusSeconds(20));
        UsageRecord middle = record("req_2", mine, T.plusSeconds(10));
        UsageRecord oldest = record("req_1", mine, T);
        List.of(newest, middle, oldest).forEach(usage::append);

        UsagePage page = usage.query(new UsageQuery(mine, null, null, null, null, T.plusSeconds(15), "req_3", 10));

        assertEquals(new UsagePage(List.of(middle, oldest), false), page);
    }

    private static UsageRecord record(String id, AccountId account, Instant at) {
        return new UsageRecord(id, account, new KeyId("key_1"), "sk-...abcd", EndUser.NONE, "sentx-v1", 1, 1, 1,
                false, "stop", at);
    }
}
