package ai.sentx.persistence.dynamodb;

import static ai.sentx.persistence.dynamodb.Codec.n;
import static ai.sentx.persistence.dynamodb.Codec.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import ai.sentx.domain.Account;
import ai.sentx.domain.AccountId;
import ai.sentx.domain.ApiKeyRecord;
import ai.sentx.domain.EndUser;
import ai.sentx.domain.KeyId;
import ai.sentx.domain.LedgerEntry;
import ai.sentx.domain.UsageQuery;
import ai.sentx.domain.UsageRecord;
import ai.sentx.domain.payment.PaymentEvent;
import ai.sentx.domain.payment.RefundMark;
import ai.sentx.persistence.dynamodb.DynamoDbLedger.OpenHold;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * Pins every condition and update expression the adapters send (STYLE: as Powertools pins its
 * idempotency condition): a change to one of them must be deliberate, because each one is what
 * keeps an invariant across instances. The integration tests prove they work; this proves they
 * stay what docs/dynamodb.md says.
 */
class DynamoDbRequestsTest {
    private static final String T = "tbl";
    private static final Instant NOW = Instant.parse("2026-11-29T19:51:00Z");
    private static final Instant EXPIRES = Instant.parse("2026-11-29T20:11:00Z");
    private static final AccountId ACCOUNT = new AccountId("acct_1");
    private static final String NOW_NANOS = "1795981860000000000";
    private static final String EXPIRES_NANOS = "1795983060000000000";
    private static final OpenHold HOLD = new OpenHold(ACCOUNT, "req_1", 300, EXPIRES, false);
    private static final OpenHold LAPSED = new OpenHold(ACCOUNT, "req_1", 300, EXPIRES, true);

    // ---- ledger ----

    @Test
    void placingAHold_reservesItOnlyIfTheFreeMoneyCoversIt_andWritesTheHoldOnce() {
        TransactWriteItemsRequest request = DynamoDbLedger.placeHoldRequest(T, HOLD, 4);

        Update book = request.transactItems().get(0).update();
        assertEquals(Map.of("pk", s("A#acct_1"), "sk", s("BOOK")), book.key());
        assertEquals("SET #free = #free - :amount", book.updateExpression());
        assertEquals("attribute_exists(#free) AND attribute_not_exists(#overdrawn) AND #free >= :amount", book.conditionExpression());
        assertEquals(Map.of("#free", "free", "#overdrawn", "overdrawn"), book.expressionAttributeNames());
        assertEquals(Map.of(":amount", n(300)), book.expressionAttributeValues());

        Put open = request.transactItems().get(1).put();
        assertEquals(s("BOOK#HOLD#" + EXPIRES_NANOS + "#req_1"), open.item().get("sk"));
        assertEquals(s(EXPIRES_NANOS), open.item().get("sweepSk"));
        assertEquals("2026-11-29T20#", open.item().get("sweepPk").s().substring(0, 14));
        assertPutIfAbsent(open);

        Put record = request.transactItems().get(2).put();
        assertEquals(s("ENTRY#req_1"), record.item().get("sk"));
        assertEquals(s("OPEN"), record.item().get("hold"));
        assertPutIfAbsent(record);
    }

    @Test
    void settlingWithoutARead_requiresTheFreeMoneyToCoverWhatTheChargeExceedsTheHoldBy() {
        TransactWriteItemsRequest request = DynamoDbLedger.closeRequest(T, HOLD, true, 450, "req_1", NOW, null);

        Update book = request.transactItems().get(0).update();
        assertEquals("SET #balance = #balance - :charge, #free = #free + :delta", book.updateExpression());
        assertEquals("attribute_exists(#free) AND attribute_not_exists(#overdrawn) AND #free >= :need", book.conditionExpression());
        assertEquals(Map.of(":charge", n(450), ":delta", n(-150), ":need", n(150)), book.expressionAttributeValues());

        Delete open = request.transactItems().get(1).delete();
        assertEquals(s("BOOK#HOLD#" + EXPIRES_NANOS + "#req_1"), open.key().get("sk"));
        assertEquals("attribute_exists(#holdId)", open.conditionExpression());

        Update record = request.transactItems().get(2).update();
        assertEquals(s("ENTRY#req_1"), record.key().get("sk"));
        assertEquals("SET #hold = :settled, #kind = :usage, #cents = :cents, #ref = :ref, #at = :at", record.updateExpression());
        assertEquals("#hold = :open AND attribute_not_exists(#lapsed)", record.conditionExpression());
        assertEquals(n(-450), record.expressionAttributeValues().get(":cents"));
        assertEquals(s("USAGE"), record.expressionAttributeValues().get(":usage"));
        assertEquals(AttributeValue.fromN(NOW_NANOS), record.expressionAttributeValues().get(":at"));
    }

    @Test
    void settlingAfterARead_requiresTheFreeMoneyAsRead_andKeepsTheOverdraftFlagTrue() {
        Update clears = DynamoDbLedger.closeRequest(T, HOLD, true, 120, "req_1", NOW, 40L).transactItems().get(0).update();
        assertEquals("SET #balance = #balance - :charge, #free = #free + :delta REMOVE #overdrawn", clears.updateExpression());
        assertEquals("#free = :observed", clears.conditionExpression());
        assertEquals(n(40), clears.expressionAttributeValues().get(":observed"));

        Update stays = DynamoDbLedger.closeRequest(T, HOLD, true, 0, "req_1", NOW, -500L).transactItems().get(0).update();
        assertEquals("SET #free = #free + :delta, #overdrawn = :true", stays.updateExpression());
        assertEquals("#free = :observed", stays.conditionExpression());
    }

    @Test
    void releasingAHold_givesItsReservationBack_andMarksItReleasedOnce() {
        TransactWriteItemsRequest request = DynamoDbLedger.closeRequest(T, HOLD, false, 0, "", null, null);

        Update book = request.transactItems().get(0).update();
        assertEquals("SET #free = #free + :delta", book.updateExpression());
        assertEquals("attribute_exists(#free) AND attribute_not_exists(#overdrawn) AND #free >= :need", book.conditionExpression());
        assertEquals(Map.of(":delta", n(300), ":need", n(0)), book.expressionAttributeValues());
        Update record = request.transactItems().get(2).update();
        assertEquals("SET #hold = :released, #ttl = :ttl", record.updateExpression());
        assertEquals("#hold = :open AND attribute_not_exists(#lapsed)", record.conditionExpression());
    }

    @Test
    void releasingALapsedHold_leavesTheBookAlone() {
        List<TransactWriteItem> items = DynamoDbLedger.closeRequest(T, LAPSED, false, 0, "", null, null).transactItems();

        assertEquals(2, items.size());
        assertEquals("attribute_exists(#holdId)", items.get(0).delete().conditionExpression());
        assertEquals("#hold = :open AND #lapsed = :true", items.get(1).update().conditionExpression());
    }

    @Test
    void lapsingAnExpiredHold_givesItsReservationBackOnce() {
        TransactWriteItemsRequest request = DynamoDbLedger.lapseRequest(T, HOLD, null);

        Update book = request.transactItems().get(0).update();
        assertEquals("SET #free = #free + :delta", book.updateExpression());
        assertEquals(n(300), book.expressionAttributeValues().get(":delta"));
        Update open = request.transactItems().get(1).update();
        assertEquals("SET #lapsed = :true", open.updateExpression());
        assertEquals("attribute_exists(#holdId) AND attribute_not_exists(#lapsed)", open.conditionExpression());
        Update record = request.transactItems().get(2).update();
        assertEquals("SET #lapsed = :true", record.updateExpression());
        assertEquals("#hold = :open AND attribute_not_exists(#lapsed)", record.conditionExpression());
    }

    @Test
    void postingACredit_addsItWithoutARead_whileTheBalanceHasRoom() {
        LedgerEntry credit = new LedgerEntry("credit_1", ACCOUNT, LedgerEntry.Kind.CREDIT, 700, "cs_1", NOW);
        TransactWriteItemsRequest request = DynamoDbLedger.postRequest(T, credit);

        Update book = request.transactItems().get(0).update();
        assertEquals("ADD #balance :amount, #free :amount", book.updateExpression());
        assertEquals("attribute_exists(#balance) AND attribute_not_exists(#overdrawn) AND #balance <= :headroom", book.conditionExpression());
        assertEquals(n(Long.MAX_VALUE - 700), book.expressionAttributeValues().get(":headroom"));
        Put entry = request.transactItems().get(1).put();
        assertEquals(s("ENTRY#credit_1"), entry.item().get("sk"));
        assertEquals(s("CREDIT"), entry.item().get("kind"));
        assertEquals(n(700), entry.item().get("cents"));
        assertPutIfAbsent(entry);
    }

    @Test
    void postingADebit_addsItWithoutARead_onlyIfTheFreeMoneyCoversIt() {
        LedgerEntry refund = new LedgerEntry("refund_1", ACCOUNT, LedgerEntry.Kind.REFUND, -150, "ch_1", NOW);

        Update book = DynamoDbLedger.postRequest(T, refund).transactItems().get(0).update();

        assertEquals("ADD #balance :amount, #free :amount", book.updateExpression());
        assertEquals("attribute_exists(#free) AND attribute_not_exists(#overdrawn) AND #free >= :debit", book.conditionExpression());
        assertEquals(Map.of(":amount", n(-150), ":debit", n(150)), book.expressionAttributeValues());
    }

    @Test
    void postingAfterARead_writesExactValues_onTheConditionThatNothingChanged() {
        LedgerEntry refund = new LedgerEntry("refund_1", ACCOUNT, LedgerEntry.Kind.REFUND, -150, "ch_1", NOW);

        Update book = DynamoDbLedger.postExactRequest(T, refund, 100, 100).transactItems().get(0).update();

        assertEquals("SET #balance = :balance, #free = :free, #overdrawn = :true", book.updateExpression());
        assertEquals("#balance = :observedBalance AND #free = :observedFree", book.conditionExpression());
        assertEquals(n(-50), book.expressionAttributeValues().get(":balance"));
        Put first = DynamoDbLedger.postToNewBookRequest(T, refund).transactItems().get(0).put();
        assertPutIfAbsent(first);
        assertEquals(AttributeValue.fromBool(true), first.item().get("overdrawn"));
    }

    @Test
    void readingTheBook_queriesTheBookAndItsHoldsInExpiryOrder_consistently() {
        QueryRequest query = DynamoDbLedger.prefixQuery(T, "A#acct_1", "BOOK");

        assertEquals("#pk = :pk AND begins_with(#sk, :prefix)", query.keyConditionExpression());
        assertEquals(true, query.consistentRead());
        QueryRequest sweep = DynamoDbLedger.sweepQuery(T, "2026-11-29T20#3");
        assertEquals(TableDefinitions.HOLDS_BY_EXPIRY, sweep.indexName());
        assertEquals("#sweepPk = :bucket", sweep.keyConditionExpression());
        assertNull(sweep.filterExpression());
    }

    // ---- rate limits ----

    @Test
    void aHit_countsOnlyBelowTheLimitOfALiveWindow_andReturnsTheNewCount() {
        UpdateItemRequest hit = DynamoDbRateLimits.hitRequest(T, "req#key_1#1795981860", 60, EXPIRES, NOW);

        assertEquals(Map.of("pk", s("COUNTER#req#key_1#1795981860")), hit.key());
        assertEquals("SET #expiresAt = if_not_exists(#expiresAt, :expiresAt), #ttl = if_not_exists(#ttl, :ttl) ADD #n :one",
                hit.updateExpression());
        assertEquals("attribute_not_exists(#n) OR (#n < :limit AND #expiresAt > :now)", hit.conditionExpression());
        assertEquals(ReturnValue.UPDATED_NEW, hit.returnValues());
        assertEquals(n(60), hit.expressionAttributeValues().get(":limit"));

        PutItemRequest restart = DynamoDbRateLimits.restartRequest(T, "req#key_1#1795981860", EXPIRES, 60, 42);
        assertEquals("#n = :count AND #expiresAt = :until", restart.conditionExpression());
        assertEquals(n(1), restart.item().get("n"));
    }

    @Test
    void aLease_takesASlotOnlyBelowTheLimit_andIsReleasedOrExpiredOnce() {
        String lease = DynamoDbRateLimits.leaseAttribute("req_1");
        assertEquals("l_7265715f31", lease);

        UpdateItemRequest acquire = DynamoDbRateLimits.acquireRequest(T, "streams#key_1", lease, 5, EXPIRES);
        assertEquals(Map.of("pk", s("LEASES#streams#key_1")), acquire.key());
        assertEquals("SET #lease = :expiresAt, #ttl = :ttl ADD #n :one", acquire.updateExpression());
        assertEquals("attribute_not_exists(#lease) AND (attribute_not_exists(#n) OR #n < :limit)", acquire.conditionExpression());

        UpdateItemRequest renew = DynamoDbRateLimits.renewRequest(T, "streams#key_1", lease, 7, EXPIRES);
        assertEquals("SET #lease = :expiresAt, #ttl = :ttl", renew.updateExpression());
        assertEquals("#lease = :until", renew.conditionExpression());

        UpdateItemRequest expire = DynamoDbRateLimits.expireRequest(T, "streams#key_1", lease, 7);
        assertEquals("ADD #n :minusOne REMOVE #lease", expire.updateExpression());
        assertEquals("#lease = :until", expire.conditionExpression());

        UpdateItemRequest release = DynamoDbRateLimits.releaseRequest(T, "streams#key_1", lease);
        assertEquals("ADD #n :minusOne REMOVE #lease", release.updateExpression());
        assertEquals("attribute_exists(#lease)", release.conditionExpression());
    }

    // ---- keys, sessions, accounts ----

    @Test
    void creatingAKey_countsItAgainstTheActiveLimit_andWritesItsItemsOnce() {
        ApiKeyRecord key = new ApiKeyRecord(new KeyId("key_1"), ACCOUNT, "laptop", "ab12", "sk-...abcd", NOW, null, null);
        List<TransactWriteItem> items = DynamoDbApiKeys.createRequest(T, key, 25).transactItems();

        Update count = items.get(0).update();
        assertEquals(Map.of("pk", s("A#acct_1"), "sk", s("KEYS")), count.key());
        assertEquals("ADD #active :one", count.updateExpression());
        assertEquals("attribute_not_exists(#active) OR #active < :max", count.conditionExpression());
        assertEquals(n(25), count.expressionAttributeValues().get(":max"));
        assertEquals(s("APIKEY#ab12"), items.get(1).put().item().get("pk"));
        assertEquals(s("KEYID#key_1"), items.get(2).put().item().get("pk"));
        assertEquals(s("KEY#key_1"), items.get(3).put().item().get("sk"));
        items.subList(1, 4).forEach(item -> assertPutIfAbsent(item.put()));
        ApiKeyRecord revoked = key.revoked(NOW);
        assertFalse(DynamoDbApiKeys.createRequest(T, revoked, 25).transactItems().stream().anyMatch(i -> i.update() != null),
                "a revoked key does not count");
    }

    @Test
    void revokingAKey_marksItOnceAndOnlyForItsAccount_andFreesItsSlot() {
        List<TransactWriteItem> items = DynamoDbApiKeys.revokeRequest(T, ACCOUNT, "ab12", NOW).transactItems();

        assertEquals("SET #revokedAt = :at", items.get(0).update().updateExpression());
        assertEquals("attribute_not_exists(#revokedAt) AND #accountId = :account", items.get(0).update().conditionExpression());
        assertEquals("ADD #active :minusOne", items.get(1).update().updateExpression());
        assertNull(items.get(1).update().conditionExpression());
    }

    @Test
    void touchingAKey_neverMovesItsLastUseBackwards() {
        UpdateItemRequest touch = DynamoDbApiKeys.touchRequest(T, "ab12", NOW);

        assertEquals("SET #lastUsedAt = :at", touch.updateExpression());
        assertEquals("attribute_exists(#keyId) AND (attribute_not_exists(#lastUsedAt) OR #lastUsedAt < :at)", touch.conditionExpression());
    }

    @Test
    void anAccountIsCreatedOnce() {
        PutItemRequest put = DynamoDbAccounts.createRequest(T, new Account(ACCOUNT, "Ada", NOW));

        assertEquals("attribute_not_exists(#pk)", put.conditionExpression());
        assertEquals(s("ACCOUNT"), put.item().get("sk"));
    }

    @Test
    void aSessionIsStoredByTheHashOfItsToken_withItsExpiry() {
        PutItemRequest put = DynamoDbSessions.registerRequest(T, "ab12", ACCOUNT, EXPIRES);

        assertEquals(s("SESSION#ab12"), put.item().get("pk"));
        assertEquals(n(EXPIRES.getEpochSecond()), put.item().get("ttl"));
        assertNull(put.conditionExpression());
    }

    // ---- payment events ----

    @Test
    void paymentMemoryIsWrittenOnce_andARefundMarkMovesOnlyFromWhereItStands() {
        assertPutIfAbsent(DynamoDbPaymentEvents.markHandledRequest(T, "evt_1", "charge.refunded", NOW));
        assertPutIfAbsent(DynamoDbPaymentEvents.recordPayerRequest(T, "pi_1", ACCOUNT));
        RefundMark mark = new RefundMark(300, new LedgerEntry("refund_ch_1_300", ACCOUNT, LedgerEntry.Kind.REFUND, -300, "ch_1", NOW));

        UpdateItemRequest first = DynamoDbPaymentEvents.advanceRequest(T, "ch_1", 0, mark);
        assertEquals("SET #refunded = :refunded, #stepId = :stepId, #stepAccount = :stepAccount, #stepKind = :stepKind, "
                + "#stepCents = :stepCents, #stepRef = :stepRef, #stepAt = :stepAt", first.updateExpression());
        assertEquals("attribute_not_exists(#refunded)", first.conditionExpression());
        UpdateItemRequest later = DynamoDbPaymentEvents.advanceRequest(T, "ch_1", 100, mark);
        assertEquals("#refunded = :expected", later.conditionExpression());
        assertEquals(n(100), later.expressionAttributeValues().get(":expected"));

        assertEquals("ADD #seq :one", DynamoDbPaymentEvents.nextSequenceRequest(T, "pi_1").updateExpression());
        PutItemRequest park = DynamoDbPaymentEvents.parkRequest(T, "pi_1", 7,
                new PaymentEvent.ChargeRefunded("evt_1", "charge.refunded", "ch_1", "pi_1", null, 300, "usd"));
        assertPutIfAbsent(park);
        assertEquals(s("PARKED#evt_1"), park.item().get("sk"));
        assertEquals(n(7), park.item().get("seq"));
    }

    // ---- usage ----

    @Test
    void appendingUsage_writesTheIdAndTheRecordOnce_withTheIndexKeysOfItsFilters() {
        UsageRecord record = new UsageRecord("req_1", ACCOUNT, new KeyId("key_1"), "sk-...abcd",
                new EndUser("alice", "Alice", null), "sentx-v1", 10, 20, 1, false, "stop", NOW);
        List<TransactWriteItem> items = DynamoDbUsageRecords.appendRequest(T, record).transactItems();

        assertEquals(s("ID#req_1"), items.get(0).put().item().get("sk"));
        assertPutIfAbsent(items.get(0).put());
        Map<String, AttributeValue> item = items.get(1).put().item();
        assertEquals(s("R#" + NOW_NANOS + "#req_1"), item.get("sk"));
        assertEquals(s("A#acct_1#K#key_1"), item.get("keyPk"));
        assertEquals(s("A#acct_1#U#alice"), item.get("userPk"));
        assertEquals(s(NOW_NANOS + "#req_1"), item.get("userSk"));
        assertFalse(item.containsKey("sessionPk"), "sparse: no session, no entry in the session index");
        assertPutIfAbsent(items.get(1).put());
    }

    @Test
    void queryingUsage_startsBelowTheUpperBound_onTheMostSelectiveIndex_neverScanning() {
        UsageQuery all = new UsageQuery(ACCOUNT, null, null, null, null, null, null, 10);
        QueryRequest base = DynamoDbUsageRecords.queryRequest(T, all, null);
        assertEquals("#pk = :pk AND begins_with(#sk, :records)", base.keyConditionExpression());
        assertEquals(false, base.scanIndexForward());
        assertEquals(11, base.limit());
        assertEquals(true, base.consistentRead());

        UsageQuery filtered = new UsageQuery(ACCOUNT, new KeyId("key_1"), "alice", "s1", null, NOW, null, 10);
        QueryRequest bySession = DynamoDbUsageRecords.queryRequest(T, filtered, NOW_NANOS);
        assertEquals(TableDefinitions.USAGE_BY_SESSION, bySession.indexName());
        assertEquals("#partition = :partition", bySession.keyConditionExpression());
        assertEquals(s("A#acct_1#S#s1"), bySession.expressionAttributeValues().get(":partition"));
        assertEquals("#user = :user AND #keyId = :keyId", bySession.filterExpression());
        assertEquals(s(NOW_NANOS), bySession.exclusiveStartKey().get("sessionSk"));
        assertNull(bySession.consistentRead(), "indexes cannot be read consistently");
    }

    private static void assertPutIfAbsent(PutItemRequest put) {
        assertEquals("attribute_not_exists(#pk)", put.conditionExpression());
        assertEquals(Map.of("#pk", "pk"), put.expressionAttributeNames());
    }

    private static void assertPutIfAbsent(Put put) {
        assertEquals("attribute_not_exists(#pk)", put.conditionExpression());
        assertEquals(Map.of("#pk", "pk"), put.expressionAttributeNames());
    }
}
