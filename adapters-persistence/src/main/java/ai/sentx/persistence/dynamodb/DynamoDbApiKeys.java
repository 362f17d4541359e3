package ai.sentx.persistence.dynamodb;

import static ai.sentx.persistence.dynamodb.Codec.PK;
import static ai.sentx.persistence.dynamodb.Codec.n;
import static ai.sentx.persistence.dynamodb.Codec.s;

import ai.sentx.domain.AccountId;
import ai.sentx.domain.ApiKeyRecord;
import ai.sentx.domain.KeyId;
import ai.sentx.port.ApiKeys;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * The {@link ApiKeys} in the credentials table:
 * <ul>
 *   <li>the <b>key</b> by its keyed hash ({@code pk = APIKEY#<hash>}): the whole record, the one
 *       item authentication reads and revocation and {@code touch} change;</li>
 *   <li>its <b>id</b> ({@code pk = KEYID#<key id>}): the hash and account, so {@code touch} finds
 *       the key from its id;</li>
 *   <li>the account's <b>list entry</b> ({@code pk = A#<account>}, {@code sk = KEY#<key id>}) and
 *       its <b>active count</b> ({@code sk = KEYS}), which a creation increments on the condition
 *       {@code active < max}, in the same transaction as the key's items.</li>
 * </ul>
 * Each instance remembers the hashes of the key ids it saw (a bounded map; the pairing never
 * changes), so the once-a-minute {@code touch} after an authentication needs no read.
 */
public final class DynamoDbApiKeys implements ApiKeys {
    static final String KEY_PREFIX = "APIKEY#";
    static final String ID_PREFIX = "KEYID#";
    static final String LIST_PREFIX = "KEY#";
    static final String ACTIVE_SK = "KEYS";
    static final String ITEM_SK = "KEY";
    static final String KEY_ID = "keyId";
    static final String ACCOUNT = "accountId";
    static final String NAME = "name";
    static final String HASH = "hash";
    static final String HINT = "hint";
    static final String CREATED_AT = "createdAt";
    static final String LAST_USED_AT = "lastUsedAt";
    static final String REVOKED_AT = "revokedAt";
    static final String ACTIVE = "active";

    private static final int MEMO_SIZE = 4_096;

    private final Dynamo dynamo;
    private final String table;
    private final Map<KeyId, String> hashes = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<KeyId, String> eldest) {
            return size() > MEMO_SIZE;
        }
    };

    /** @param client shared; {@code tables} names the credentials table */
    public DynamoDbApiKeys(DynamoDbClient client, TableNames tables) {
        this.dynamo = new Dynamo(Objects.requireNonNull(client, "client"));
        this.table = tables.credentials();
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException  if {@code maxActive} is negative, or the key's id or hash
     *                                   belongs to a different stored key
     * @throws StoreUnavailableException if DynamoDB fails
     */
    @Override
    public Creation create(ApiKeyRecord key, int maxActive) {
        Objects.requireNonNull(key, "key");
        if (maxActive < 0) throw new IllegalArgumentException("maxActive cannot be negative");
        for (int attempt = 0; ; attempt++) {
            if (attempt > 1) Dynamo.backoff(attempt - 1, "create key");
            if (!key.active() || maxActive > 0) {
                if (dynamo.transact(createRequest(table, key, maxActive))) {
                    remember(key.id(), key.hash());
                    return new Creation.Created();
                }
            }
            Map<String, AttributeValue> byId = dynamo.get(table, Codec.key(ID_PREFIX + key.id().value(), ITEM_SK));
            if (byId != null) {
                if (key.hash().equals(Codec.str(byId, HASH)) && key.accountId().value().equals(Codec.str(byId, ACCOUNT))) {
                    return new Creation.Created();
                }
                throw new IllegalArgumentException("key id " + key.id() + " is already taken");
            }
            if (dynamo.get(table, Codec.key(KEY_PREFIX + key.hash(), ITEM_SK)) != null) {
                throw new IllegalArgumentException("another key has the same hash");
            }
            Map<String, AttributeValue> count = dynamo.get(table, Codec.key(accountPartition(key.accountId()), ACTIVE_SK));
            long active = count == null ? 0 : Codec.num(count, ACTIVE, 0);
            if (key.active() && active >= maxActive) return new Creation.LimitReached((int) active);
        }
    }

    /** {@inheritDoc} One consistent read. @throws StoreUnavailableException if DynamoDB fails */
    @Override
    public Optional<ApiKeyRecord> findByHash(String hash) {
        if (hash == null) return Optional.empty();
        Map<String, AttributeValue> item = dynamo.get(table, Codec.key(KEY_PREFIX + hash, ITEM_SK));
        if (item == null) return Optional.empty();
        ApiKeyRecord key = record(item);
        remember(key.id(), key.hash());
        return Optional.of(key);
    }

    /** {@inheritDoc} Ties on {@code createdAt} are ordered by key id. @throws StoreUnavailableException if DynamoDB fails */
    @Override
    public List<ApiKeyRecord> list(AccountId account) {
        Objects.requireNonNull(account, "account");
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        dynamo.queryAll(DynamoDbLedger.prefixQuery(table, accountPartition(account), LIST_PREFIX), item -> {
            keys.add(Codec.key(KEY_PREFIX + Codec.str(item, HASH), ITEM_SK));
            return true;
        });
        if (keys.isEmpty()) return List.of();
        List<ApiKeyRecord> records = new ArrayList<>(keys.size());
        for (Map<String, AttributeValue> item : dynamo.batchGet(table, keys)) records.add(record(item));
        records.sort(Comparator.comparing(ApiKeyRecord::createdAt).thenComparing(k -> k.id().value()));
        return List.copyOf(records);
    }

    /** {@inheritDoc} A key revoked before keeps its first revocation time. @throws StoreUnavailableException if DynamoDB fails */
    @Override
    public boolean revoke(AccountId account, KeyId key, Instant at) {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(at, "at");
        Map<String, AttributeValue> listed = dynamo.get(table, Codec.key(accountPartition(account), LIST_PREFIX + key.value()));
        if (listed == null) return false;
        String hash = Codec.str(listed, HASH);
        for (int attempt = 0; ; attempt++) {
            if (attempt > 1) Dynamo.backoff(attempt - 1, "revoke key");
            if (dynamo.transact(revokeRequest(table, account, hash, at))) return true;
            Map<String, AttributeValue> item = dynamo.get(table, Codec.key(KEY_PREFIX + hash, ITEM_SK));
            if (item == null || !account.value().equals(Codec.str(item, ACCOUNT))) return false;
            if (item.containsKey(REVOKED_AT)) return true;
        }
    }

    /**
     * {@inheritDoc} One conditional write (plus one read of the key's id when this instance has not
     * seen the key); never moves {@code lastUsedAt} backwards; an unknown key is ignored.
     *
     * @throws StoreUnavailableException if DynamoDB fails
     */
    @Override
    public void touch(KeyId key, Instant at) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(at, "at");
        String hash;
        synchronized (hashes) {
            hash = hashes.get(key);
        }
        if (hash == null) {
            Map<String, AttributeValue> byId = dynamo.get(table, Codec.key(ID_PREFIX + key.value(), ITEM_SK));
            if (byId == null) return;
            hash = Codec.str(byId, HASH);
            remember(key, hash);
        }
        dynamo.update(touchRequest(table, hash, at));
    }

    private void remember(KeyId key, String hash) {
        synchronized (hashes) {
            hashes.put(key, hash);
        }
    }

    private static ApiKeyRecord record(Map<String, AttributeValue> item) {
        return new ApiKeyRecord(new KeyId(Codec.str(item, KEY_ID)), new AccountId(Codec.str(item, ACCOUNT)),
                Codec.str(item, NAME), Codec.str(item, HASH), Codec.str(item, HINT), Codec.timeOrNull(item, CREATED_AT),
                Codec.timeOrNull(item, LAST_USED_AT), Codec.timeOrNull(item, REVOKED_AT));
    }

    // ---- the requests (package-private: DynamoDbRequestsTest pins them) ----

    static String accountPartition(AccountId account) {
        return DynamoDbAccounts.partition(account);
    }

    /** The key's three items, each written once, and (for an active key) the account's count. */
    static TransactWriteItemsRequest createRequest(String table, ApiKeyRecord key, int maxActive) {
        String account = accountPartition(key.accountId());
        Map<String, AttributeValue> byHash = new HashMap<>(Codec.key(KEY_PREFIX + key.hash(), ITEM_SK));
        byHash.put(KEY_ID, s(key.id().value()));
        byHash.put(ACCOUNT, s(key.accountId().value()));
        byHash.put(NAME, s(key.name()));
        byHash.put(HASH, s(key.hash()));
        byHash.put(HINT, s(key.hint()));
        byHash.put(CREATED_AT, Codec.time(key.createdAt()));
        if (key.lastUsedAt() != null) byHash.put(LAST_USED_AT, Codec.time(key.lastUsedAt()));
        if (key.revokedAt() != null) byHash.put(REVOKED_AT, Codec.time(key.revokedAt()));
        Map<String, AttributeValue> byId = new HashMap<>(Codec.key(ID_PREFIX + key.id().value(), ITEM_SK));
        byId.put(HASH, s(key.hash()));
        byId.put(ACCOUNT, s(key.accountId().value()));
        Map<String, AttributeValue> listed = new HashMap<>(Codec.key(account, LIST_PREFIX + key.id().value()));
        listed.put(HASH, s(key.hash()));
        listed.put(CREATED_AT, Codec.time(key.createdAt()));
        List<TransactWriteItem> items = new ArrayList<>(4);
        if (key.active()) {
            items.add(TransactWriteItem.builder().update(Update.builder()
                    .tableName(table)
                    .key(Codec.key(account, ACTIVE_SK))
                    .updateExpression("ADD #active :one")
                    .conditionExpression("attribute_not_exists(#active) OR #active < :max")
                    .expressionAttributeNames(Map.of("#active", ACTIVE))
                    .expressionAttributeValues(Map.of(":one", n(1), ":max", n(maxActive)))
                    .build()).build());
        }
        items.add(TransactWriteItem.builder().put(putIfAbsent(table, byHash)).build());
        items.add(TransactWriteItem.builder().put(putIfAbsent(table, byId)).build());
        items.add(TransactWriteItem.builder().put(putIfAbsent(table, listed)).build());
        return TransactWriteItemsRequest.builder().transactItems(items).build();
    }

    /** Marks the key revoked, once and only by its own account, and frees its slot in the count. */
    static TransactWriteItemsRequest revokeRequest(String table, AccountId account, String hash, Instant at) {
        Update key = Update.builder()
                .tableName(table)
                .key(Codec.key(KEY_PREFIX + hash, ITEM_SK))
                .updateExpression("SET #revokedAt = :at")
                .conditionExpression("attribute_not_exists(#revokedAt) AND #accountId = :account")
                .expressionAttributeNames(Map.of("#revokedAt", REVOKED_AT, "#accountId", ACCOUNT))
                .expressionAttributeValues(Map.of(":at", Codec.time(at), ":account", s(account.value())))
                .build();
        Update count = Update.builder()
                .tableName(table)
                .key(Codec.key(accountPartition(account), ACTIVE_SK))
                .updateExpression("ADD #active :minusOne")
                .expressionAttributeNames(Map.of("#active", ACTIVE))
                .expressionAttributeValues(Map.of(":minusOne", n(-1)))
                .build();
        return TransactWriteItemsRequest.builder().transactItems(
                TransactWriteItem.builder().update(key).build(),
                TransactWriteItem.builder().update(count).build()).build();
    }

    static UpdateItemRequest touchRequest(String table, String hash, Instant at) {
        return UpdateItemRequest.builder()
                .tableName(table)
                .key(Codec.key(KEY_PREFIX + hash, ITEM_SK))
                .updateExpression("SET #lastUsedAt = :at")
                .conditionExpression("attribute_exists(#keyId) AND (attribute_not_exists(#lastUsedAt) OR #lastUsedAt < :at)")
                .expressionAttributeNames(Map.of("#keyId", KEY_ID, "#lastUsedAt", LAST_USED_AT))
                .expressionAttributeValues(Map.of(":at", Codec.time(at)))
                .build();
    }

    private static Put putIfAbsent(String table, Map<String, AttributeValue> item) {
        return Put.builder().tableName(table).item(item)
                .conditionExpression("attribute_not_exists(#pk)").expressionAttributeNames(Map.of("#pk", PK)).build();
    }
}
