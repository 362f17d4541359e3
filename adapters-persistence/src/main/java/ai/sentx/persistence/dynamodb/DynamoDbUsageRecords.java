package ai.sentx.persistence.dynamodb;

import static ai.sentx.persistence.dynamodb.Codec.PK;
import static ai.sentx.persistence.dynamodb.Codec.SK;
import static ai.sentx.persistence.dynamodb.Codec.n;
import static ai.sentx.persistence.dynamodb.Codec.s;

import ai.sentx.domain.AccountId;
import ai.sentx.domain.EndUser;
import ai.sentx.domain.KeyId;
import ai.sentx.domain.UsagePage;
import ai.sentx.domain.UsageQuery;
import ai.sentx.domain.UsageRecord;
import ai.sentx.port.UsageRecords;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;

/**
 * The {@link UsageRecords} in the usage table. Per account, in partition {@code A#<account>}:
 * one item per record, {@code sk = R#<at>#<id>}, so a query reads an account's records newest
 * first (ties by id, descending) between two times; and one id item, {@code sk = ID#<id>}, written
 * in the same transaction, which makes the id unique and turns a paging cursor into its position.
 * Sparse indexes serve the filters: {@code usage-by-key}, {@code usage-by-user},
 * {@code usage-by-session}, each keyed by account and value, sorted like the table. A query uses
 * the most selective index its filters allow and applies the others as a filter expression; the
 * time bounds and the cursor become the query's start key and its stopping point, never a scan.
 */
public final class DynamoDbUsageRecords implements UsageRecords {
    static final String RECORD_PREFIX = "R#";
    static final String ID_PREFIX = "ID#";
    static final String ID = "id";
    static final String ACCOUNT = "accountId";
    static final String KEY_ID = "keyId";
    static final String KEY_HINT = "keyHint";
    static final String USER = "user";
    static final String USER_NAME = "userName";
    static final String SESSION = "session";
    static final String MODEL = "model";
    static final String PROMPT_TOKENS = "promptTokens";
    static final String COMPLETION_TOKENS = "completionTokens";
    static final String COST_CENTS = "costCents";
    static final String STREAM = "stream";
    static final String FINISH_REASON = "finishReason";
    static final String AT = "at";

    private final Dynamo dynamo;
    private final String table;

    /** @param client shared; {@code tables} names the usage table */
    public DynamoDbUsageRecords(DynamoDbClient client, TableNames tables) {
        this.dynamo = new Dynamo(Objects.requireNonNull(client, "client"));
        this.table = tables.usage();
    }

    /** {@inheritDoc} One transactional write. @throws StoreUnavailableException if DynamoDB fails */
    @Override
    public void append(UsageRecord record) {
        Objects.requireNonNull(record, "record");
        for (int attempt = 0; ; attempt++) {
            if (attempt > 1) Dynamo.backoff(attempt - 1, "append usage");
            if (dynamo.transact(appendRequest(table, record))) return;
            if (dynamo.get(table, Codec.key(partition(record.accountId()), ID_PREFIX + record.id())) != null) return;
        }
    }

    /**
     * {@inheritDoc} A cursor ({@code after}) that names no record of the account gives an empty page.
     *
     * @throws StoreUnavailableException if DynamoDB fails
     */
    @Override
    public UsagePage query(UsageQuery query) {
        Objects.requireNonNull(query, "query");
        String pk = partition(query.accountId());
        String upper = query.to() == null ? null : Codec.sortable(query.to());
        if (query.after() != null) {
            Map<String, AttributeValue> cursor = dynamo.get(table, Codec.key(pk, ID_PREFIX + query.after()));
            if (cursor == null) return new UsagePage(List.of(), false);
            String position = position(Codec.timeOrNull(cursor, AT), query.after());
            if (upper == null || position.compareTo(upper) < 0) upper = position;
        }
        List<UsageRecord> page = new ArrayList<>(Math.min(query.limit() + 1, 64));
        dynamo.queryAll(queryRequest(table, query, upper), item -> {
            UsageRecord record = record(query.accountId(), item);
            if (query.from() != null && record.at().isBefore(query.from())) return false;
            page.add(record);
            return page.size() <= query.limit();
        });
        boolean hasMore = page.size() > query.limit();
        return new UsagePage(hasMore ? page.subList(0, query.limit()) : page, hasMore);
    }

    // ---- the requests (package-private: DynamoDbRequestsTest pins them) ----

    static String partition(AccountId account) {
        return DynamoDbAccounts.partition(account);
    }

    /** Where a record sorts: its time, then its id. */
    static String position(Instant at, String id) {
        return Codec.sortable(at) + "#" + id;
    }

    static TransactWriteItemsRequest appendRequest(String table, UsageRecord record) {
        String pk = partition(record.accountId());
        String position = position(record.at(), record.id());
        Map<String, AttributeValue> marker = new HashMap<>(Codec.key(pk, ID_PREFIX + record.id()));
        marker.put(AT, Codec.time(record.at()));
        Map<String, AttributeValue> item = new HashMap<>(Codec.key(pk, RECORD_PREFIX + position));
        item.put(ID, s(record.id()));
        item.put(ACCOUNT, s(record.accountId().value()));
        item.put(KEY_ID, s(record.keyId().value()));
        item.put(KEY_HINT, s(record.keyHint()));
        EndUser user = record.endUser();
        if (user.user() != null) item.put(USER, s(user.user()));
        if (user.userName() != null) item.put(USER_NAME, s(user.userName()));
        if (user.session() != null) item.put(SESSION, s(user.session()));
        if (record.model() != null) item.put(MODEL, s(record.model()));
        item.put(PROMPT_TOKENS, n(record.promptTokens()));
        item.put(COMPLETION_TOKENS, n(record.completionTokens()));
        item.put(COST_CENTS, n(record.costCents()));
        item.put(STREAM, Codec.bool(record.stream()));
        if (record.finishReason() != null) item.put(FINISH_REASON, s(record.finishReason()));
        item.put(AT, Codec.time(record.at()));
        for (Filter filter : Filter.values()) {
            String value = filter.valueOf(record);
            if (value != null) {
                item.put(filter.index.hashKey(), s(filter.partition(pk, value)));
                item.put(filter.index.rangeKey(), s(position));
            }
        }
        return TransactWriteItemsRequest.builder().transactItems(
                TransactWriteItem.builder().put(putIfAbsent(table, marker)).build(),
                TransactWriteItem.builder().put(putIfAbsent(table, item)).build()).build();
    }

    /**
     * Newest first, from just below {@code upper} (a position: {@code to}, or the cursor's, as the
     * exclusive start key) on the most selective index the filters allow.
     */
    static QueryRequest queryRequest(String table, UsageQuery query, String upper) {
        String pk = partition(query.accountId());
        Filter by = null;
        for (Filter filter : Filter.values()) {
            if (filter.valueOf(query) != null) {
                by = filter;
                break;
            }
        }
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        QueryRequest.Builder request = QueryRequest.builder()
                .tableName(table)
                .scanIndexForward(false)
                .limit(Math.min(query.limit() + 1, 1_000));
        if (by == null) {
            names.put("#pk", PK);
            names.put("#sk", SK);
            values.put(":pk", s(pk));
            values.put(":records", s(RECORD_PREFIX));
            request.keyConditionExpression("#pk = :pk AND begins_with(#sk, :records)").consistentRead(true);
            if (upper != null) request.exclusiveStartKey(Map.of(PK, s(pk), SK, s(RECORD_PREFIX + upper)));
        } else {
            names.put("#partition", by.index.hashKey());
            values.put(":partition", s(by.partition(pk, by.valueOf(query))));
            request.indexName(by.index.name()).keyConditionExpression("#partition = :partition");
            if (upper != null) {
                request.exclusiveStartKey(Map.of(by.index.hashKey(), s(by.partition(pk, by.valueOf(query))),
                        by.index.rangeKey(), s(upper), PK, s(pk), SK, s(RECORD_PREFIX + upper)));
            }
        }
        List<String> conditions = new ArrayList<>();
        for (Filter filter : Filter.values()) {
            if (filter == by || filter.valueOf(query) == null) continue;
            names.put("#" + filter.attribute, filter.attribute);
            values.put(":" + filter.attribute, s(filter.valueOf(query)));
            conditions.add("#" + filter.attribute + " = :" + filter.attribute);
        }
        if (!conditions.isEmpty()) request.filterExpression(String.join(" AND ", conditions));
        return request.expressionAttributeNames(names).expressionAttributeValues(values).build();
    }

    private static UsageRecord record(AccountId account, Map<String, AttributeValue> item) {
        return new UsageRecord(Codec.str(item, ID), account, new KeyId(Codec.str(item, KEY_ID)), Codec.str(item, KEY_HINT),
                new EndUser(Codec.str(item, USER), Codec.str(item, USER_NAME), Codec.str(item, SESSION)),
                Codec.str(item, MODEL), Codec.num(item, PROMPT_TOKENS), Codec.num(item, COMPLETION_TOKENS),
                Codec.num(item, COST_CENTS), Codec.flag(item, STREAM), Codec.str(item, FINISH_REASON),
                Codec.timeOrNull(item, AT));
    }

    private static Put putIfAbsent(String table, Map<String, AttributeValue> item) {
        return Put.builder().tableName(table).item(item)
                .conditionExpression("attribute_not_exists(#pk)").expressionAttributeNames(Map.of("#pk", PK)).build();
    }

    /** The filters with an index, most selective first. */
    enum Filter {
        SESSION_FILTER(TableDefinitions.USAGE.index(TableDefinitions.USAGE_BY_SESSION), SESSION, "#S#"),
        USER_FILTER(TableDefinitions.USAGE.index(TableDefinitions.USAGE_BY_USER), USER, "#U#"),
        KEY_FILTER(TableDefinitions.USAGE.index(TableDefinitions.USAGE_BY_KEY), KEY_ID, "#K#");

        final TableDefinitions.Index index;
        final String attribute;
        final String marker;

        Filter(TableDefinitions.Index index, String attribute, String marker) {
            this.index = index;
            this.attribute = attribute;
            this.marker = marker;
        }

        /** The index partition of {@code value} within the account partition {@code pk}. */
        String partition(String pk, String value) {
            return pk + marker + value;
        }

        String valueOf(UsageRecord record) {
            return switch (this) {
                case SESSION_FILTER -> record.endUser().session();
                case USER_FILTER -> record.endUser().user();
                case KEY_FILTER -> record.keyId().value();
            };
        }

        String valueOf(UsageQuery query) {
            return switch (this) {
                case SESSION_FILTER -> query.session();
                case USER_FILTER -> query.user();
                case KEY_FILTER -> query.keyId() == null ? null : query.keyId().value();
            };
        }
    }
}
