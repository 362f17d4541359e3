package ai.sentx.persistence.dynamodb;

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
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Runs the {@link UsageRecordsContract} on {@link DynamoDbUsageRecords} over the fake, and checks its cursors. */
class DynamoDbUsageRecordsIT implements UsageRecordsContract {
    private static final DynamoDbClient CLIENT = FakeDynamoDbServer.newClient();
    private static final TableNames TABLES = FakeDynamoDbServer.freshTables("usage");
    private static final Instant T = Instant.parse("2026-11-29T19:51:00.123456789Z");

    private final AccountId mine = new AccountId("acct_" + UUID.randomUUID());

    @Override
    public UsageRecords newUsageRecords() {
        return new DynamoDbUsageRecords(CLIENT, TABLES);
    }

    @Test
    void returnsAnEmptyPage_whenTheCursorNamesNoRecordOfTheAccount() {
        UsageRecords usage = newUsageRecords();
        AccountId theirs = new AccountId("acct_" + UUID.randomUUID());
        usage.append(record("req_1_" + mine, mine, T));
        usage.append(record("req_2_" + theirs, theirs, T));

        assertEquals(new UsagePage(List.of(), false), usage.query(query("req_2_" + theirs, null)));
        assertEquals(new UsagePage(List.of(), false), usage.query(query("nope", null)));
    }

    @Test
    void continuesBeforeTheTimeBound_whenTheCursorIsAfterIt() {
        UsageRecords usage = newUsageRecords();
        UsageRecord newest = record("req_3", mine, T.plusSeconds(20));
        UsageRecord middle = record("req_2", mine, T.plusSeconds(10));
        UsageRecord oldest = record("req_1", mine, T);
        List.of(newest, middle, oldest).forEach(usage::append);

        UsagePage page = usage.query(query("req_3", T.plusSeconds(15)));

        assertEquals(new UsagePage(List.of(middle, oldest), false), page);
    }

    @Test
    void keepsEveryFieldExactly_includingNanosecondsAndAbsentOnes() {
        UsageRecords usage = newUsageRecords();
        UsageRecord full = new UsageRecord("req_full", mine, new KeyId("key_1"), "sk-...abcd",
                new EndUser("Aléx", "Alex D.", "conv#1"), "sentx-v1", 12, 34, 5, true, "length", T);
        UsageRecord sparse = new UsageRecord("req_sparse", mine, new KeyId("key_1"), "sk-...abcd", EndUser.NONE,
                null, 0, 0, 0, false, null, T.minusNanos(1));
        usage.append(full);
        usage.append(sparse);

        assertEquals(List.of(full, sparse), usage.query(query(null, null)).data());
        assertEquals(List.of(full), usage.query(new UsageQuery(mine, null, "Aléx", "conv#1", null, null, null, 10)).data());
    }

    @Test
    void appendsARecord_withOneWrite() {
        UsageRecords usage = newUsageRecords();

        RequestCounter.Counts before = RequestCounter.snapshot();
        usage.append(record("req_" + UUID.randomUUID(), mine, T));

        assertEquals(Map.of("TransactWriteItems", 1L), RequestCounter.snapshot().since(before).byOperation());
    }

    private UsageQuery query(String after, Instant to) {
        return new UsageQuery(mine, null, null, null, null, to, after, 10);
    }

    private static UsageRecord record(String id, AccountId account, Instant at) {
        return new UsageRecord(id, account, new KeyId("key_1"), "sk-...abcd", EndUser.NONE, "sentx-v1", 1, 1, 1,
                false, "stop", at);
    }
}
