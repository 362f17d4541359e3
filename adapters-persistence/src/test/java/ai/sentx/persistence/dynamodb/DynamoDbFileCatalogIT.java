package ai.sentx.persistence.dynamodb;

import static ai.sentx.persistence.dynamodb.Codec.n;
import static ai.sentx.persistence.dynamodb.Codec.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sentx.domain.AccountId;
import ai.sentx.domain.files.FileFormat;
import ai.sentx.domain.files.FileQuery;
import ai.sentx.domain.files.FileRules;
import ai.sentx.domain.files.StoredFile;
import ai.sentx.port.FileCatalog;
import ai.sentx.port.FileCatalog.AddResult;
import ai.sentx.port.contract.FileCatalogContract;
import ai.sentx.port.contract.Race;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * Runs the {@link FileCatalogContract} on {@link DynamoDbFileCatalog} over the fake, and checks
 * its costs, two instances racing, the sweeper's lookback, and the exact requests it sends.
 */
class DynamoDbFileCatalogIT implements FileCatalogContract {
    private static final DynamoDbClient CLIENT = FakeDynamoDbServer.newClient();
    private static final DynamoDbClient SECOND_CLIENT = FakeDynamoDbServer.newClient();
    private static final TableNames TABLES = FakeDynamoDbServer.freshTables("files");
    private static final Instant T = Instant.parse("2026-11-29T19:51:00Z");
    private static final String T_NANOS = "1795981860000000000";

    private final AccountId mine = new AccountId("acct_" + UUID.randomUUID());

    @Override
    public FileCatalog newFileCatalog() {
        return new DynamoDbFileCatalog(CLIENT, TABLES);
    }

    // ---- costs ----

    @Test
    void addsWithOneTransaction_findsWithOneRead_andListsWithOneQuery() {
        FileCatalog catalog = newFileCatalog();
        StoredFile file = file(mine, now(), 10);

        RequestCounter.Counts before = RequestCounter.snapshot();
        catalog.add(file, 5, 1_000);
        RequestCounter.Counts added = RequestCounter.snapshot();
        catalog.find(mine, file.id(), now());
        catalog.findBySha256(mine, file.sha256(), now());
        RequestCounter.Counts found = RequestCounter.snapshot();
        catalog.list(new FileQuery(mine, null, true, null, 20), now());
        RequestCounter.Counts listed = RequestCounter.snapshot();
        catalog.remove(mine, file.id());
        RequestCounter.Counts removed = RequestCounter.snapshot();

        assertEquals(Map.of("TransactWriteItems", 1L), added.since(before).byOperation());
        assertEquals(Map.of("GetItem", 2L), found.since(added).byOperation());
        assertEquals(Map.of("Query", 1L), listed.since(found).byOperation());
        assertEquals(Map.of("GetItem", 1L, "TransactWriteItems", 1L), removed.since(listed).byOperation());
    }

    @Test
    void classifiesARefusedAdd_withConsistentReads_andNeverScans() {
        FileCatalog catalog = newFileCatalog();
        StoredFile first = file(mine, now(), 10);
        catalog.add(first, 1, 1_000);

        RequestCounter.Counts before = RequestCounter.snapshot();
        AddResult duplicate = catalog.add(withSha(file(mine, now(), 10), first.sha256()), 1, 1_000);
        RequestCounter.Counts afterDuplicate = RequestCounter.snapshot();
        AddResult full = catalog.add(file(mine, now(), 10), 1, 1_000);
        RequestCounter.Counts afterFull = RequestCounter.snapshot();

        assertEquals(new AddResult.Duplicate(first), duplicate);
        assertEquals(Map.of("GetItem", 1L, "TransactWriteItems", 1L), afterDuplicate.since(before).byOperation());
        assertEquals(new AddResult.TooManyFiles(), full);
        assertEquals(Map.of("GetItem", 2L, "TransactWriteItems", 1L), afterFull.since(afterDuplicate).byOperation());
        assertFalse(afterFull.byOperation().containsKey("Scan"));
    }

    // ---- two instances ----

    @Test
    void twentyAddsFromTwoInstances_admitExactlyTheCap_andTheSameBytesOnce() {
        FileCatalog first = newFileCatalog();
        FileCatalog second = new DynamoDbFileCatalog(SECOND_CLIENT, TABLES);
        Instant t = now();

        List<AddResult> capped = Race.run(20, i -> (i % 2 == 0 ? first : second).add(file(mine, t.plusSeconds(i), 100), 5, 1_000));
        AccountId other = new AccountId("acct_" + UUID.randomUUID());
        String sha = sha();
        List<AddResult> same = Race.run(20, i -> (i % 2 == 0 ? first : second).add(withSha(file(other, t, 100), sha), 5, 1_000));

        assertEquals(5, capped.stream().filter(AddResult.Added.class::isInstance).count(), "results " + capped);
        assertEquals(15, capped.stream().filter(AddResult.TooManyFiles.class::isInstance).count());
        assertEquals(1, same.stream().filter(AddResult.Added.class::isInstance).count(), "results " + same);
        assertEquals(19, same.stream().filter(AddResult.Duplicate.class::isInstance).count());
    }

    // ---- the sweeper's lookback ----

    @Test
    void sweeperReadsOnlyItsLookback_whileTheAccountsOwnReadFindsOlderFiles() {
        FileCatalog catalog = new DynamoDbFileCatalog(CLIENT, TABLES, Duration.ofDays(2));
        Instant t = now();
        StoredFile recent = expiredAgo(mine, t, Duration.ofDays(1));
        StoredFile forgotten = expiredAgo(mine, t, Duration.ofDays(3));
        catalog.add(recent, 5, 1_000);
        catalog.add(forgotten, 5, 1_000);

        List<StoredFile> swept = catalog.expired(t, 10_000);

        assertTrue(swept.contains(recent), "swept " + swept);
        assertFalse(swept.contains(forgotten), "older than the lookback");
        assertEquals(List.of(forgotten, recent), catalog.expired(mine, t, 10));
    }

    @Test
    void sweeperReturnsOldestFirst_acrossDays() {
        FileCatalog catalog = new DynamoDbFileCatalog(CLIENT, TABLES, Duration.ofDays(30));
        Instant t = now();
        StoredFile older = expiredAgo(mine, t, Duration.ofDays(20));
        StoredFile newer = expiredAgo(mine, t, Duration.ofDays(19));
        catalog.add(newer, 5, 1_000);
        catalog.add(older, 5, 1_000);

        List<StoredFile> swept = catalog.expired(t, 10_000);

        assertTrue(swept.indexOf(older) >= 0 && swept.indexOf(older) < swept.indexOf(newer), "swept " + swept);
    }

    // ---- refusals ----

    @Test
    void refusesAFile_whoseIdBelongsToOtherBytes() {
        FileCatalog catalog = newFileCatalog();
        StoredFile stored = file(mine, now(), 10);
        catalog.add(stored, 5, 1_000);
        StoredFile sameId = new StoredFile(stored.id(), new AccountId("acct_" + UUID.randomUUID()), 10, stored.createdAt(),
                stored.expiresAt(), "x.txt", "assistants", sha(), FileFormat.TXT);

        assertThrows(IllegalArgumentException.class, () -> catalog.add(sameId, 5, 1_000));
        assertThrows(IllegalArgumentException.class, () -> catalog.add(stored, -1, 1_000));
    }

    // ---- the requests ----

    @Test
    void addingAFile_writesItsThreeItemsOnce_andCountsItIfTheCapsAllow() {
        StoredFile file = new StoredFile("file-1", new AccountId("acct_1"), 300, T, T.plus(FileRules.RETENTION),
                "a#b.txt", "assistants", "ab12", FileFormat.TXT);

        TransactWriteItemsRequest request = DynamoDbFileCatalog.addRequest("tbl", file, 100, 700, null);

        List<TransactWriteItem> items = request.transactItems();
        assertEquals(4, items.size());
        Put fileItem = items.get(0).put();
        assertEquals(s("A#acct_1"), fileItem.item().get("pk"));
        assertEquals(s("FILE#" + T_NANOS + "#file-1"), fileItem.item().get("sk"));
        assertEquals(s("FILES_EXPIRING#2026-12-29"), fileItem.item().get("expiryPk"));
        assertEquals(s("1798573860000000000#file-1"), fileItem.item().get("expirySk"));
        assertEquals(s("a#b.txt"), fileItem.item().get("filename"));
        assertEquals(s("TXT"), fileItem.item().get("format"));
        assertEquals(n(300), fileItem.item().get("bytes"));
        assertEquals("attribute_not_exists(#pk)", fileItem.conditionExpression());
        assertNull(fileItem.item().get("ttl"), "a counted file never expires behind the counters' back");
        assertEquals(Map.of("pk", s("FILEID#file-1"), "sk", s("FILE")), key(items.get(1).put().item()));
        assertEquals("attribute_not_exists(#pk)", items.get(1).put().conditionExpression());
        assertEquals(Map.of("pk", s("A#acct_1"), "sk", s("SHA#ab12")), key(items.get(2).put().item()));
        assertEquals("attribute_not_exists(#pk)", items.get(2).put().conditionExpression());
        Update usage = items.get(3).update();
        assertEquals(Map.of("pk", s("A#acct_1"), "sk", s("FILES")), usage.key());
        assertEquals("ADD #files :one, #bytes :size", usage.updateExpression());
        assertEquals("attribute_not_exists(#files) OR (#files < :maxFiles AND #bytes <= :room)", usage.conditionExpression());
        assertEquals(Map.of(":one", n(1), ":size", n(300), ":maxFiles", n(100), ":room", n(700)), usage.expressionAttributeValues());
    }

    @Test
    void addingBytesWhoseFileExpired_takesOverItsHash_andRemovesItInTheSameTransaction() {
        AccountId account = new AccountId("acct_1");
        StoredFile stale = new StoredFile("file-old", account, 200, T.minus(FileRules.RETENTION).minusSeconds(60),
                T.minusSeconds(60), "a.txt", "assistants", "ab12", FileFormat.TXT);
        StoredFile file = new StoredFile("file-new", account, 300, T, T.plus(FileRules.RETENTION),
                "a.txt", "assistants", "ab12", FileFormat.TXT);

        List<TransactWriteItem> items = DynamoDbFileCatalog.addRequest("tbl", file, 100, 800, stale).transactItems();

        assertEquals(6, items.size());
        Put sha = items.get(2).put();
        assertEquals("#id = :staleId", sha.conditionExpression());
        assertEquals(Map.of(":staleId", s("file-old")), sha.expressionAttributeValues());
        Update usage = items.get(3).update();
        assertEquals("ADD #bytes :delta", usage.updateExpression());
        assertEquals("attribute_exists(#files) AND #files <= :maxFiles AND #bytes <= :room", usage.conditionExpression());
        assertEquals(n(100), usage.expressionAttributeValues().get(":delta"));
        Update tombstone = items.get(4).update();
        assertEquals(Map.of("pk", s("FILEID#file-old"), "sk", s("FILE")), tombstone.key());
        assertEquals("#account = :account AND attribute_not_exists(#removed)", tombstone.conditionExpression());
        Delete staleFile = items.get(5).delete();
        assertEquals(Map.of("pk", s("A#acct_1"), "sk", s(DynamoDbFileCatalog.fileSortKey(stale))), staleFile.key());
    }

    @Test
    void removingAFile_isDecidedByItsIdItem_andFreesItsShare() {
        StoredFile file = new StoredFile("file-1", new AccountId("acct_1"), 300, T, T.plus(FileRules.RETENTION),
                "a.txt", "assistants", "ab12", FileFormat.TXT);

        List<TransactWriteItem> items = DynamoDbFileCatalog.removeRequest("tbl", file).transactItems();

        Update tombstone = items.get(0).update();
        assertEquals(Map.of("pk", s("FILEID#file-1"), "sk", s("FILE")), tombstone.key());
        assertEquals("SET #removed = :true, #ttl = :ttl", tombstone.updateExpression());
        assertEquals("#account = :account AND attribute_not_exists(#removed)", tombstone.conditionExpression());
        assertEquals(n(T.plus(FileRules.RETENTION).plus(Duration.ofDays(1)).getEpochSecond()), tombstone.expressionAttributeValues().get(":ttl"));
        assertEquals(Map.of("pk", s("A#acct_1"), "sk", s("FILE#" + T_NANOS + "#file-1")), items.get(1).delete().key());
        assertEquals("#id = :id", items.get(2).delete().conditionExpression());
        assertEquals(Map.of("pk", s("A#acct_1"), "sk", s("SHA#ab12")), items.get(2).delete().key());
        Update usage = items.get(3).update();
        assertEquals("ADD #files :minusOne, #bytes :minusSize", usage.updateExpression());
        assertEquals(Map.of(":minusOne", n(-1), ":minusSize", n(-300)), usage.expressionAttributeValues());
        assertNull(usage.conditionExpression());
    }

    @Test
    void listing_queriesTheAccountsFiles_inTheAsksOrder_hidingExpiredOnes() {
        FileQuery query = new FileQuery(new AccountId("acct_1"), "vision", false, "file-1", 20);

        QueryRequest request = DynamoDbFileCatalog.listRequest("tbl", query, T, "FILE#" + T_NANOS + "#file-1");

        assertEquals("#pk = :pk AND begins_with(#sk, :files)", request.keyConditionExpression());
        assertEquals("#expiresAt > :now AND #purpose = :purpose", request.filterExpression());
        assertEquals(n(Long.parseLong(T_NANOS)), request.expressionAttributeValues().get(":now"));
        assertTrue(request.scanIndexForward());
        assertTrue(request.consistentRead());
        assertEquals(21, request.limit());
        assertEquals(Map.of("pk", s("A#acct_1"), "sk", s("FILE#" + T_NANOS + "#file-1")), request.exclusiveStartKey());
        assertEquals("#expiryPk = :day", DynamoDbFileCatalog.expiringRequest("tbl", "2026-11-29").keyConditionExpression());
        assertEquals("files-by-expiry", DynamoDbFileCatalog.expiringRequest("tbl", "2026-11-29").indexName());
    }

    @Test
    void findsNothing_forAFileWhoseIdItemIsATombstone() {
        FileCatalog catalog = newFileCatalog();
        StoredFile file = file(mine, now(), 10);
        catalog.add(file, 5, 1_000);
        catalog.remove(mine, file.id());

        Map<String, AttributeValue> tombstone = new Dynamo(CLIENT).get(TABLES.of(TableDefinitions.FILES), DynamoDbFileCatalog.idKey(file.id()));

        assertEquals(Boolean.TRUE, tombstone.get("removed").bool());
        assertTrue(tombstone.containsKey("ttl"));
        assertEquals(Optional.empty(), catalog.find(mine, file.id(), now()));
    }

    private static Map<String, AttributeValue> key(Map<String, AttributeValue> item) {
        return Map.of("pk", item.get("pk"), "sk", item.get("sk"));
    }

    private static StoredFile file(AccountId account, Instant createdAt, long bytes) {
        return new StoredFile("file-" + UUID.randomUUID(), account, bytes, createdAt, createdAt.plus(FileRules.RETENTION),
                "f.txt", "assistants", sha(), FileFormat.TXT);
    }

    private static StoredFile expiredAgo(AccountId account, Instant now, Duration ago) {
        return file(account, now.minus(ago).minus(FileRules.RETENTION), 1);
    }

    private static StoredFile withSha(StoredFile f, String sha256) {
        return new StoredFile(f.id(), f.account(), f.bytes(), f.createdAt(), f.expiresAt(), f.filename(), f.purpose(), sha256, f.format());
    }

    private static String sha() {
        return (UUID.randomUUID().toString() + UUID.randomUUID()).replace("-", "");
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS);
    }
}
