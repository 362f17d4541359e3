package ai.sentx.persistence.dynamodb;

import static ai.sentx.persistence.dynamodb.Codec.PK;
import static ai.sentx.persistence.dynamodb.Codec.SK;
import static ai.sentx.persistence.dynamodb.Codec.TTL;
import static ai.sentx.persistence.dynamodb.Codec.n;
import static ai.sentx.persistence.dynamodb.Codec.s;

import ai.sentx.domain.AccountId;
import ai.sentx.domain.files.FileFormat;
import ai.sentx.domain.files.FilePage;
import ai.sentx.domain.files.FileQuery;
import ai.sentx.domain.files.StoredFile;
import ai.sentx.port.FileCatalog;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * The {@link FileCatalog} in the files table. Each file is three items, written and deleted in
 * one transaction with its account's usage:
 * <ul>
 *   <li>the <b>file</b> ({@code pk = A#<account>}, {@code sk = FILE#<createdAt:19>#<id>}): the
 *       account's files in creation order for {@code list}, and in the {@code files-by-expiry}
 *       index ({@code expiryPk = FILES_EXPIRING#<UTC day of expiresAt>},
 *       {@code expirySk = <expiresAt:19>#<id>}) for the sweeper;</li>
 *   <li>its <b>id</b> ({@code pk = FILEID#<id>}, {@code sk = FILE}): {@code find}, the paging
 *       cursor and {@code remove} read it; a removal marks it {@code removed} (a tombstone with a
 *       {@code ttl}), so of concurrent removals exactly one passes its condition;</li>
 *   <li>its <b>hash</b> ({@code pk = A#<account>}, {@code sk = SHA#<sha256>}), written only if
 *       absent: the dedupe, exact under concurrency;</li>
 * </ul>
 * and the account's <b>usage</b> ({@code pk = A#<account>}, {@code sk = FILES}): {@code files} and
 * {@code bytes}, which an add increments on the condition that the caps allow it. Each item
 * carries the whole file, so every read is one consistent {@code GetItem} or one {@code Query}.
 *
 * <p>Only tombstones carry a {@code ttl}: a counted file must never vanish behind the counters'
 * back, or its account would stay at its caps for good. Expired files wait for their removal
 * (by the upload path or the sweeper); every read hides them meanwhile.
 *
 * <p>A refused transaction is classified by consistent re-reads (the hash, then the usage), never
 * by cancellation reasons; bytes whose earlier file expired at the new file's {@code createdAt}
 * replace that file in the same transaction, so an expired file never blocks an upload.
 */
public final class DynamoDbFileCatalog implements FileCatalog {
    /** How far back {@link #expired(Instant, int)} reads the expiry index by default. */
    public static final Duration DEFAULT_EXPIRY_LOOKBACK = Duration.ofDays(7);
    /** How long a removed file's id item stays after the file's expiry (it only decides races). */
    static final Duration TOMBSTONE_KEPT = Duration.ofDays(1);

    static final String FILE_PREFIX = "FILE#";
    static final String SHA_PREFIX = "SHA#";
    static final String ID_PREFIX = "FILEID#";
    static final String ID_SK = "FILE";
    static final String USAGE_SK = "FILES";
    static final String EXPIRY_PREFIX = "FILES_EXPIRING#";
    static final String ID = "id";
    static final String ACCOUNT = "account";
    static final String BYTES = "bytes";
    static final String CREATED_AT = "createdAt";
    static final String EXPIRES_AT = "expiresAt";
    static final String FILENAME = "filename";
    static final String PURPOSE = "purpose";
    static final String SHA256 = "sha256";
    static final String FORMAT = "format";
    static final String REMOVED = "removed";
    static final String FILES = "files";
    static final String EXPIRY_PK = TableDefinitions.FILES.index(TableDefinitions.FILES_BY_EXPIRY).hashKey();
    static final String EXPIRY_SK = TableDefinitions.FILES.index(TableDefinitions.FILES_BY_EXPIRY).rangeKey();

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
    private static final Comparator<StoredFile> FIRST_TO_EXPIRE =
            Comparator.comparing(StoredFile::expiresAt).thenComparing(StoredFile::id);

    private final Dynamo dynamo;
    private final String table;
    private final Duration expiryLookback;

    /** A catalog whose sweeper read looks back {@link #DEFAULT_EXPIRY_LOOKBACK}. */
    public DynamoDbFileCatalog(DynamoDbClient client, TableNames tables) {
        this(client, tables, DEFAULT_EXPIRY_LOOKBACK);
    }

    /**
     * @param client         shared; {@code tables} names the files table
     * @param expiryLookback how far before {@code now} {@link #expired(Instant, int)} reads the
     *                       expiry index; files that expired earlier are left to their account's
     *                       next upload ({@link #expired(AccountId, Instant, int)})
     */
    public DynamoDbFileCatalog(DynamoDbClient client, TableNames tables, Duration expiryLookback) {
        this.dynamo = new Dynamo(Objects.requireNonNull(client, "client"));
        this.table = tables.of(TableDefinitions.FILES);
        this.expiryLookback = Objects.requireNonNull(expiryLookback, "expiryLookback");
        if (expiryLookback.isNegative()) throw new IllegalArgumentException("negative expiry lookback");
    }

    /**
     * {@inheritDoc} One transaction when it is added; a refusal costs one to three consistent
     * reads. A live file of the account with the same bytes wins over the caps; one that had
     * expired at {@code file.createdAt()} is removed in the same transaction that adds the new one.
     *
     * @throws IllegalArgumentException  if a cap is negative, or the file's id is already stored
     *                                   for other bytes
     * @throws StoreUnavailableException if DynamoDB fails, or stays contended
     */
    @Override
    public AddResult add(StoredFile file, int maxFiles, long maxBytes) {
        Objects.requireNonNull(file, "file");
        if (maxFiles < 0 || maxBytes < 0) throw new IllegalArgumentException("caps cannot be negative");
        StoredFile stale = null;
        for (int attempt = 0; ; attempt++) {
            if (attempt > 1) Dynamo.backoff(attempt - 1, "add file");
            long room = room(maxBytes, file.bytes(), stale);
            if (maxFiles > 0 && room >= 0 && dynamo.transact(addRequest(table, file, maxFiles, room, stale))) {
                return new AddResult.Added(file);
            }
            Map<String, AttributeValue> sameBytes = dynamo.get(table, shaKey(file.account(), file.sha256()));
            stale = null;
            if (sameBytes != null) {
                StoredFile same = file(sameBytes);
                if (!same.expiredAt(file.createdAt())) return new AddResult.Duplicate(same);
                if (same.id().equals(file.id())) throw new IllegalArgumentException("file id " + file.id() + " is already taken");
                stale = same;
            }
            Map<String, AttributeValue> usage = dynamo.get(table, usageKey(file.account()));
            long files = usage == null ? 0 : Codec.num(usage, FILES, 0);
            long bytes = usage == null ? 0 : Codec.num(usage, BYTES, 0);
            if (stale != null) {
                files--;
                bytes -= stale.bytes();
            }
            if (files >= maxFiles) return new AddResult.TooManyFiles();
            if (file.bytes() > maxBytes - bytes) return new AddResult.OverQuota();
            if (dynamo.get(table, idKey(file.id())) != null) {
                throw new IllegalArgumentException("file id " + file.id() + " is already taken");
            }
            // Room, no twin, a free id: another writer changed the account meanwhile. Try again.
        }
    }

    /** {@inheritDoc} One consistent read. @throws StoreUnavailableException if DynamoDB fails */
    @Override
    public Optional<StoredFile> find(AccountId account, String fileId, Instant now) {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(now, "now");
        return live(account, fileId, now);
    }

    /** {@inheritDoc} One consistent read. @throws StoreUnavailableException if DynamoDB fails */
    @Override
    public Optional<StoredFile> findBySha256(AccountId account, String sha256, Instant now) {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(now, "now");
        if (sha256 == null) return Optional.empty();
        Map<String, AttributeValue> item = dynamo.get(table, shaKey(account, sha256));
        if (item == null) return Optional.empty();
        StoredFile file = file(item);
        return file.expiredAt(now) ? Optional.empty() : Optional.of(file);
    }

    /**
     * {@inheritDoc} One consistent {@code Query} (more pages only when many expired files or other
     * purposes are skipped), plus one {@code GetItem} for a cursor.
     *
     * @throws StoreUnavailableException if DynamoDB fails
     */
    @Override
    public FilePage list(FileQuery query, Instant now) {
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(now, "now");
        String start = null;
        if (query.after() != null) {
            Optional<StoredFile> cursor = live(query.account(), query.after(), now);
            if (cursor.isEmpty()) return new FilePage(List.of(), false);
            start = fileSortKey(cursor.get());
        }
        List<StoredFile> page = new ArrayList<>(Math.min(query.limit() + 1, 64));
        dynamo.queryAll(listRequest(table, query, now, start), item -> {
            page.add(file(item));
            return page.size() <= query.limit();
        });
        boolean hasMore = page.size() > query.limit();
        return new FilePage(hasMore ? page.subList(0, query.limit()) : page, hasMore);
    }

    /**
     * {@inheritDoc} One consistent read and one transaction, conditioned on the file not being
     * removed yet (so of concurrent removals exactly one frees its share).
     *
     * @throws StoreUnavailableException if DynamoDB fails, or stays contended
     */
    @Override
    public Optional<StoredFile> remove(AccountId account, String fileId) {
        Objects.requireNonNull(account, "account");
        if (fileId == null) return Optional.empty();
        for (int attempt = 0; ; attempt++) {
            if (attempt > 1) Dynamo.backoff(attempt - 1, "remove file");
            Map<String, AttributeValue> item = dynamo.get(table, idKey(fileId));
            if (item == null || Codec.flag(item, REMOVED) || !account.value().equals(Codec.str(item, ACCOUNT))) {
                return Optional.empty();
            }
            StoredFile file = file(item);
            if (dynamo.transact(removeRequest(table, file))) return Optional.of(file);
        }
    }

    /**
     * {@inheritDoc} Ties on {@code expiresAt} are ordered by id. One consistent {@code Query} over
     * the account's file items (as many as its cap allows), filtered to the expired ones.
     *
     * @throws StoreUnavailableException if DynamoDB fails
     */
    @Override
    public List<StoredFile> expired(AccountId account, Instant now, int max) {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(now, "now");
        if (max < 1) return List.of();
        List<StoredFile> expired = new ArrayList<>();
        dynamo.queryAll(expiredOfAccountRequest(table, account, now), item -> expired.add(file(item)));
        expired.sort(FIRST_TO_EXPIRE);
        return List.copyOf(expired.subList(0, Math.min(max, expired.size())));
    }

    /**
     * {@inheritDoc} Oldest first. Reads the expiry index for each UTC day from
     * {@code now - lookback} to {@code now}, oldest day first, and stops in each at the first file
     * still live. The index is eventually consistent: a file removed a moment ago may still be
     * returned ({@link #remove} then finds nothing), one expired a moment ago may be missed until
     * the next run.
     *
     * @throws StoreUnavailableException if DynamoDB fails
     */
    @Override
    public List<StoredFile> expired(Instant now, int max) {
        Objects.requireNonNull(now, "now");
        List<StoredFile> expired = new ArrayList<>();
        Instant last = now.truncatedTo(ChronoUnit.DAYS);
        for (Instant day = now.minus(expiryLookback).truncatedTo(ChronoUnit.DAYS);
             !day.isAfter(last) && expired.size() < max; day = day.plus(Duration.ofDays(1))) {
            dynamo.queryAll(expiringRequest(table, DAY.format(day)), item -> {
                StoredFile file = file(item);
                if (!file.expiredAt(now)) return false;
                expired.add(file);
                return expired.size() < max;
            });
        }
        return List.copyOf(expired);
    }

    private Optional<StoredFile> live(AccountId account, String fileId, Instant now) {
        if (fileId == null) return Optional.empty();
        Map<String, AttributeValue> item = dynamo.get(table, idKey(fileId));
        if (item == null || Codec.flag(item, REMOVED) || !account.value().equals(Codec.str(item, ACCOUNT))) {
            return Optional.empty();
        }
        StoredFile file = file(item);
        return file.expiredAt(now) ? Optional.empty() : Optional.of(file);
    }

    /** What the account's stored bytes may be before the file is added (after {@code stale} leaves); negative: no room. */
    private static long room(long maxBytes, long size, StoredFile stale) {
        long room = maxBytes - size;
        long freed = stale == null ? 0 : stale.bytes();
        return room > Long.MAX_VALUE - freed ? Long.MAX_VALUE : room + freed;
    }

    static StoredFile file(Map<String, AttributeValue> item) {
        return new StoredFile(Codec.str(item, ID), new AccountId(Codec.str(item, ACCOUNT)), Codec.num(item, BYTES),
                Codec.timeOrNull(item, CREATED_AT), Codec.timeOrNull(item, EXPIRES_AT), Codec.str(item, FILENAME),
                Codec.str(item, PURPOSE), Codec.str(item, SHA256),
                FileFormat.named(Codec.str(item, FORMAT)).orElseThrow(() -> new IllegalStateException("unknown format in " + item.get(FORMAT))));
    }

    // ---- keys and requests (package-private: DynamoDbFileCatalogIT pins them) ----

    static String partition(AccountId account) {
        return DynamoDbAccounts.partition(account);
    }

    /** Where a file sorts in its account: creation time, then id. */
    static String fileSortKey(StoredFile file) {
        return FILE_PREFIX + Codec.sortable(file.createdAt()) + "#" + Codec.escape(file.id());
    }

    static Map<String, AttributeValue> idKey(String fileId) {
        return Codec.key(ID_PREFIX + Codec.escape(fileId), ID_SK);
    }

    static Map<String, AttributeValue> shaKey(AccountId account, String sha256) {
        return Codec.key(partition(account), SHA_PREFIX + Codec.escape(sha256));
    }

    static Map<String, AttributeValue> usageKey(AccountId account) {
        return Codec.key(partition(account), USAGE_SK);
    }

    static String expiryPartition(Instant expiresAt) {
        return EXPIRY_PREFIX + DAY.format(expiresAt);
    }

    /**
     * Adds the file's three items and counts it, if the account has a free slot and
     * {@code bytes <= room}; with {@code stale} (the account's expired file with the same bytes),
     * that file leaves in the same transaction: its hash item is taken over, its count slot reused.
     */
    static TransactWriteItemsRequest addRequest(String table, StoredFile file, int maxFiles, long room, StoredFile stale) {
        String pk = partition(file.account());
        Map<String, AttributeValue> fileItem = new HashMap<>(Codec.key(pk, fileSortKey(file)));
        fileItem.putAll(attributes(file));
        fileItem.put(EXPIRY_PK, s(expiryPartition(file.expiresAt())));
        fileItem.put(EXPIRY_SK, s(Codec.sortable(file.expiresAt()) + "#" + Codec.escape(file.id())));
        Map<String, AttributeValue> idItem = new HashMap<>(idKey(file.id()));
        idItem.putAll(attributes(file));
        Map<String, AttributeValue> shaItem = new HashMap<>(shaKey(file.account(), file.sha256()));
        shaItem.putAll(attributes(file));
        List<TransactWriteItem> items = new ArrayList<>(6);
        items.add(TransactWriteItem.builder().put(putIfAbsent(table, fileItem)).build());
        items.add(TransactWriteItem.builder().put(putIfAbsent(table, idItem)).build());
        if (stale == null) {
            items.add(TransactWriteItem.builder().put(putIfAbsent(table, shaItem)).build());
            items.add(TransactWriteItem.builder().update(Update.builder()
                    .tableName(table)
                    .key(usageKey(file.account()))
                    .updateExpression("ADD #files :one, #bytes :size")
                    .conditionExpression("attribute_not_exists(#files) OR (#files < :maxFiles AND #bytes <= :room)")
                    .expressionAttributeNames(Map.of("#files", FILES, "#bytes", BYTES))
                    .expressionAttributeValues(Map.of(":one", n(1), ":size", n(file.bytes()),
                            ":maxFiles", n(maxFiles), ":room", n(room)))
                    .build()).build());
        } else {
            items.add(TransactWriteItem.builder().put(Put.builder().tableName(table).item(shaItem)
                    .conditionExpression("#id = :staleId")
                    .expressionAttributeNames(Map.of("#id", ID))
                    .expressionAttributeValues(Map.of(":staleId", s(stale.id())))
                    .build()).build());
            items.add(TransactWriteItem.builder().update(Update.builder()
                    .tableName(table)
                    .key(usageKey(file.account()))
                    .updateExpression("ADD #bytes :delta")
                    .conditionExpression("attribute_exists(#files) AND #files <= :maxFiles AND #bytes <= :room")
                    .expressionAttributeNames(Map.of("#files", FILES, "#bytes", BYTES))
                    .expressionAttributeValues(Map.of(":delta", n(file.bytes() - stale.bytes()),
                            ":maxFiles", n(maxFiles), ":room", n(room)))
                    .build()).build());
            items.add(TransactWriteItem.builder().update(tombstone(table, stale)).build());
            items.add(TransactWriteItem.builder().delete(Delete.builder()
                    .tableName(table).key(Codec.key(pk, fileSortKey(stale))).build()).build());
        }
        return TransactWriteItemsRequest.builder().transactItems(items).build();
    }

    /** Removes the file's items and frees its share, once: the id item's condition decides. */
    static TransactWriteItemsRequest removeRequest(String table, StoredFile file) {
        String pk = partition(file.account());
        Delete fileItem = Delete.builder().tableName(table).key(Codec.key(pk, fileSortKey(file))).build();
        Delete shaItem = Delete.builder()
                .tableName(table)
                .key(shaKey(file.account(), file.sha256()))
                .conditionExpression("#id = :id")
                .expressionAttributeNames(Map.of("#id", ID))
                .expressionAttributeValues(Map.of(":id", s(file.id())))
                .build();
        Update usage = Update.builder()
                .tableName(table)
                .key(usageKey(file.account()))
                .updateExpression("ADD #files :minusOne, #bytes :minusSize")
                .expressionAttributeNames(Map.of("#files", FILES, "#bytes", BYTES))
                .expressionAttributeValues(Map.of(":minusOne", n(-1), ":minusSize", n(-file.bytes())))
                .build();
        return TransactWriteItemsRequest.builder().transactItems(
                TransactWriteItem.builder().update(tombstone(table, file)).build(),
                TransactWriteItem.builder().delete(fileItem).build(),
                TransactWriteItem.builder().delete(shaItem).build(),
                TransactWriteItem.builder().update(usage).build()).build();
    }

    /** Newest (or oldest) first from just past {@code startSortKey}, live files of the purpose only. */
    static QueryRequest listRequest(String table, FileQuery query, Instant now, String startSortKey) {
        String pk = partition(query.account());
        Map<String, String> names = new HashMap<>(Map.of("#pk", PK, "#sk", SK, "#expiresAt", EXPIRES_AT));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":pk", s(pk), ":files", s(FILE_PREFIX), ":now", Codec.time(now)));
        String filter = "#expiresAt > :now";
        if (query.purpose() != null) {
            names.put("#purpose", PURPOSE);
            values.put(":purpose", s(query.purpose()));
            filter += " AND #purpose = :purpose";
        }
        QueryRequest.Builder request = QueryRequest.builder()
                .tableName(table)
                .keyConditionExpression("#pk = :pk AND begins_with(#sk, :files)")
                .filterExpression(filter)
                .expressionAttributeNames(names)
                .expressionAttributeValues(values)
                .scanIndexForward(!query.descending())
                .consistentRead(true)
                .limit(Math.min(query.limit() + 1, 1_000));
        if (startSortKey != null) request.exclusiveStartKey(Map.of(PK, s(pk), SK, s(startSortKey)));
        return request.build();
    }

    static QueryRequest expiredOfAccountRequest(String table, AccountId account, Instant now) {
        return QueryRequest.builder()
                .tableName(table)
                .keyConditionExpression("#pk = :pk AND begins_with(#sk, :files)")
                .filterExpression("#expiresAt <= :now")
                .expressionAttributeNames(Map.of("#pk", PK, "#sk", SK, "#expiresAt", EXPIRES_AT))
                .expressionAttributeValues(Map.of(":pk", s(partition(account)), ":files", s(FILE_PREFIX), ":now", Codec.time(now)))
                .consistentRead(true)
                .build();
    }

    /** One day's files on the expiry index, first to expire first. */
    static QueryRequest expiringRequest(String table, String day) {
        return QueryRequest.builder()
                .tableName(table)
                .indexName(TableDefinitions.FILES_BY_EXPIRY)
                .keyConditionExpression("#expiryPk = :day")
                .expressionAttributeNames(Map.of("#expiryPk", EXPIRY_PK))
                .expressionAttributeValues(Map.of(":day", s(EXPIRY_PREFIX + day)))
                .build();
    }

    /** Marks the file's id item removed, once and only for its own account, and lets TTL delete it later. */
    private static Update tombstone(String table, StoredFile file) {
        return Update.builder()
                .tableName(table)
                .key(idKey(file.id()))
                .updateExpression("SET #removed = :true, #ttl = :ttl")
                .conditionExpression("#account = :account AND attribute_not_exists(#removed)")
                .expressionAttributeNames(Map.of("#removed", REMOVED, "#ttl", TTL, "#account", ACCOUNT))
                .expressionAttributeValues(Map.of(":true", Codec.bool(true), ":ttl", Codec.ttl(file.expiresAt().plus(TOMBSTONE_KEPT)),
                        ":account", s(file.account().value())))
                .build();
    }

    private static Map<String, AttributeValue> attributes(StoredFile file) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(ID, s(file.id()));
        item.put(ACCOUNT, s(file.account().value()));
        item.put(BYTES, n(file.bytes()));
        item.put(CREATED_AT, Codec.time(file.createdAt()));
        item.put(EXPIRES_AT, Codec.time(file.expiresAt()));
        item.put(FILENAME, s(file.filename()));
        item.put(PURPOSE, s(file.purpose()));
        item.put(SHA256, s(file.sha256()));
        item.put(FORMAT, s(file.format().name()));
        return item;
    }

    private static Put putIfAbsent(String table, Map<String, AttributeValue> item) {
        return Put.builder().tableName(table).item(item)
                .conditionExpression("attribute_not_exists(#pk)").expressionAttributeNames(Map.of("#pk", PK)).build();
    }
}
