package ai.sentx.persistence.dynamodb;

import static ai.sentx.persistence.dynamodb.Codec.PK;
import static ai.sentx.persistence.dynamodb.Codec.SK;
import static ai.sentx.persistence.dynamodb.Codec.TTL;
import static ai.sentx.persistence.dynamodb.Codec.n;
import static ai.sentx.persistence.dynamodb.Codec.s;

import ai.sentx.domain.AccountId;
import ai.sentx.domain.LedgerEntry;
import ai.sentx.port.Ledger;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * The {@link Ledger} in the accounts table. Per account, in partition {@code A#<account>}:
 * <ul>
 *   <li>the <b>book</b> ({@code sk = BOOK}): {@code balance} (the sum of the entries) and
 *       {@code free} (the balance minus the holds that still reserve money), plus the flag
 *       {@code overdrawn} while {@code free} is negative (only refunds and disputes get it there);</li>
 *   <li>one item per <b>open hold</b> ({@code sk = BOOK#HOLD#<expiry>#<hold id>}), sorted by
 *       expiry right after the book, and indexed by expiry hour for the sweeper
 *       ({@value TableDefinitions#HOLDS_BY_EXPIRY});</li>
 *   <li>one item per <b>entry id</b> ({@code sk = ENTRY#<id>}): a ledger entry, or the record of a
 *       hold ({@code hold = OPEN | SETTLED | RELEASED}); a settled hold is also its usage entry.</li>
 * </ul>
 *
 * <p>Every change is one {@code TransactWriteItems} whose conditions keep the invariants: a hold
 * or charge never takes {@code free} below zero, an entry or hold id is written once, a hold is
 * closed once. The common case needs no read: placing a hold is conditioned on
 * {@code free >= amount}; settling on {@code free >= cost - hold}. When a condition fails the
 * adapter re-reads consistently and decides from what it sees, never from the failure's
 * cancellation reasons: the id was already used (a retry: report the first outcome), expired holds
 * of the account still reserve money (let them <i>lapse</i>, then retry), the money is not there
 * (refuse, or cap the charge), or another writer changed the book (retry on the exact value read).
 *
 * <p>An expired hold reserves nothing ({@link #available} does not count it), but it stays open:
 * its request may still settle it for what is left. The first request of the account that needs
 * its money marks it {@code lapsed} and gives the money back to {@code free}; the sweeper
 * ({@link #releaseExpiredHolds}) closes it for good, reading the expiry index of the last hours,
 * never the whole table.
 *
 * <p>Each instance remembers the holds it placed (a bounded map), so the settlement of the same
 * request needs no read; a settlement on another instance reads the hold's record first.
 */
public final class DynamoDbLedger implements Ledger {
    /** Shards of each expiry hour in the sweeper's index: spreads the index's writes over partitions. */
    public static final int DEFAULT_SWEEP_SHARDS = 4;
    /** How far back the sweeper looks for expired holds; older ones lapse when their account needs the money. */
    public static final Duration DEFAULT_SWEEP_LOOKBACK = Duration.ofHours(6);
    /** How long the record of a released hold outlives the hold's expiry (for late retries). */
    static final Duration RELEASED_RECORD_KEPT = Duration.ofDays(7);

    static final String BOOK = "BOOK";
    static final String HOLD_PREFIX = "BOOK#HOLD#";
    static final String ENTRY_PREFIX = "ENTRY#";
    static final String BALANCE = "balance";
    static final String FREE = "free";
    static final String OVERDRAWN = "overdrawn";
    static final String ACCOUNT = "account";
    static final String HOLD_ID = "holdId";
    static final String AMOUNT = "amount";
    static final String EXPIRES_AT = "expiresAt";
    static final String LAPSED = "lapsed";
    static final String SWEEP_PK = "sweepPk";
    static final String SWEEP_SK = "sweepSk";
    static final String HOLD = "hold";
    static final String KIND = "kind";
    static final String CENTS = "cents";
    static final String REF = "ref";
    static final String AT = "at";
    static final String OPEN = "OPEN";
    static final String SETTLED = "SETTLED";
    static final String RELEASED = "RELEASED";

    private static final int BOOK_PAGE = 10;
    private static final int MEMO_SIZE = 4_096;
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH").withZone(ZoneOffset.UTC);

    private final Dynamo dynamo;
    private final String table;
    private final int sweepShards;
    private final Duration sweepLookback;
    private final Map<String, OpenHold> placed = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, OpenHold> eldest) {
            return size() > MEMO_SIZE;
        }
    };

    /** A ledger with the default sweep shards and lookback. */
    public DynamoDbLedger(DynamoDbClient client, TableNames tables) {
        this(client, tables, DEFAULT_SWEEP_SHARDS, DEFAULT_SWEEP_LOOKBACK);
    }

    /**
     * @param sweepShards   shards per expiry hour; every instance writing to the table must use the same
     * @param sweepLookback how far before {@code now} {@link #releaseExpiredHolds} reads the expiry index
     */
    public DynamoDbLedger(DynamoDbClient client, TableNames tables, int sweepShards, Duration sweepLookback) {
        this.dynamo = new Dynamo(Objects.requireNonNull(client, "client"));
        this.table = tables.accounts();
        if (sweepShards < 1) throw new IllegalArgumentException("sweepShards must be positive");
        if (sweepLookback.isNegative()) throw new IllegalArgumentException("negative sweep lookback");
        this.sweepShards = sweepShards;
        this.sweepLookback = sweepLookback;
    }

    /** {@inheritDoc} One consistent read. @throws StoreUnavailableException if DynamoDB fails */
    @Override
    public long balance(AccountId account) {
        Objects.requireNonNull(account, "account");
        Map<String, AttributeValue> book = dynamo.get(table, Codec.key(partition(account), BOOK));
        return book == null ? 0 : Codec.num(book, BALANCE);
    }

    /**
     * {@inheritDoc} One consistent query of the book and the holds that expire first; more pages
     * only while expired holds wait for the sweeper. @throws StoreUnavailableException if DynamoDB fails
     */
    @Override
    public long available(AccountId account, Instant now) {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(now, "now");
        BookView book = readBook(account, now);
        return book == null ? 0 : book.available();
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException if {@code amountCents} is negative
     * @throws StoreUnavailableException if DynamoDB fails
     */
    @Override
    public HoldResult placeHold(AccountId account, String holdId, long amountCents, Instant now, Instant expiresAt) {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(holdId, "holdId");
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(expiresAt, "expiresAt");
        if (amountCents < 0) throw new IllegalArgumentException("a hold cannot be negative");
        OpenHold hold = new OpenHold(account, holdId, amountCents, expiresAt, false);
        for (int attempt = 0; ; attempt++) {
            if (attempt > 1) Dynamo.backoff(attempt - 1, "place hold");
            if (dynamo.transact(placeHoldRequest(table, hold, sweepShards))) {
                remember(hold);
                return new HoldResult.Placed();
            }
            if (dynamo.get(table, entryKey(account, holdId)) != null) return new HoldResult.Placed();
            BookView book = readBook(account, now);
            if (book == null) {
                if (amountCents > 0) return new HoldResult.Insufficient(0);
                dynamo.put(emptyBookRequest(table, account));
                continue;
            }
            List<OpenHold> reserving = book.expiredReserving(null);
            if (!reserving.isEmpty()) {
                reserving.forEach(this::lapse);
                continue;
            }
            if (amountCents > book.free()) return new HoldResult.Insufficient(book.free());
            // Neither the id nor the money refused it: another writer changed the book first.
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>The first attempt charges {@code costCents} on the condition {@code free >= cost - hold};
     * when that fails the adapter lets the account's other expired holds lapse, reads the book and
     * charges at most {@code free + hold}, conditioned on the {@code free} it read.
     *
     * @throws IllegalArgumentException if {@code costCents} is negative
     * @throws StoreUnavailableException if DynamoDB fails
     */
    @Override
    public long settle(AccountId account, String holdId, long costCents, String reference, Instant now) {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(holdId, "holdId");
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(now, "now");
        if (costCents < 0) throw new IllegalArgumentException("a cost cannot be negative");
        OpenHold hold = recall(account, holdId);
        if (hold == null) {
            Map<String, AttributeValue> record = dynamo.get(table, entryKey(account, holdId));
            if (record == null) return 0;
            if (!OPEN.equals(Codec.str(record, HOLD))) return chargedBy(record);
            hold = OpenHold.fromRecord(account, holdId, record);
        }
        return close(hold, costCents, true, reference, now).charged();
    }

    /** {@inheritDoc} @throws StoreUnavailableException if DynamoDB fails */
    @Override
    public void release(AccountId account, String holdId) {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(holdId, "holdId");
        OpenHold hold = recall(account, holdId);
        if (hold == null) {
            Map<String, AttributeValue> record = dynamo.get(table, entryKey(account, holdId));
            if (record == null || !OPEN.equals(Codec.str(record, HOLD))) return;
            hold = OpenHold.fromRecord(account, holdId, record);
        }
        close(hold, 0, false, "", null);
    }

    /**
     * {@inheritDoc}
     *
     * <p>A credit, or a debit the free money covers, is added without a read; a debit beyond it
     * (a refund of spent money) reads the book and writes the exact new values.
     *
     * @throws ArithmeticException       if the balance would overflow a {@code long}
     * @throws StoreUnavailableException if DynamoDB fails
     */
    @Override
    public boolean post(LedgerEntry entry) {
        Objects.requireNonNull(entry, "entry");
        Map<String, AttributeValue> book = null;
        for (int attempt = 0; ; attempt++) {
            if (attempt > 1) Dynamo.backoff(attempt - 1, "post entry");
            TransactWriteItemsRequest request = attempt == 0 ? postRequest(table, entry)
                    : book == null ? postToNewBookRequest(table, entry)
                    : postExactRequest(table, entry, Codec.num(book, BALANCE), Codec.num(book, FREE));
            if (dynamo.transact(request)) return true;
            if (dynamo.get(table, entryKey(entry.accountId(), entry.id())) != null) return false;
            book = dynamo.get(table, Codec.key(partition(entry.accountId()), BOOK));
            if (book != null) Math.addExact(Codec.num(book, BALANCE), entry.amountCents());
        }
    }

    /** {@inheritDoc} Ordered by {@code at}, then id. @throws StoreUnavailableException if DynamoDB fails */
    @Override
    public List<LedgerEntry> entries(AccountId account) {
        Objects.requireNonNull(account, "account");
        List<LedgerEntry> entries = new ArrayList<>();
        dynamo.queryAll(prefixQuery(table, partition(account), ENTRY_PREFIX), item -> {
            String kind = Codec.str(item, KIND);
            if (kind != null) {
                entries.add(new LedgerEntry(Codec.str(item, SK).substring(ENTRY_PREFIX.length()), account,
                        LedgerEntry.Kind.valueOf(kind), Codec.num(item, CENTS), Codec.str(item, REF),
                        Codec.timeOrNull(item, AT)));
            }
            return true;
        });
        entries.sort(Comparator.comparing(LedgerEntry::at).thenComparing(LedgerEntry::id));
        return List.copyOf(entries);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Reads the expiry index for each hour from {@code now - lookback} to {@code now}, shard by
     * shard, oldest first, and stops in each at the first hold still live. Counts only the holds
     * this call released (a hold settled meanwhile is not counted).
     *
     * @throws StoreUnavailableException if DynamoDB fails
     */
    @Override
    public int releaseExpiredHolds(Instant now) {
        Objects.requireNonNull(now, "now");
        int[] released = {0};
        Instant last = now.truncatedTo(ChronoUnit.HOURS);
        for (Instant hour = now.minus(sweepLookback).truncatedTo(ChronoUnit.HOURS); !hour.isAfter(last);
             hour = hour.plus(Duration.ofHours(1))) {
            for (int shard = 0; shard < sweepShards; shard++) {
                dynamo.queryAll(sweepQuery(table, HOUR.format(hour) + "#" + shard), item -> {
                    OpenHold hold = OpenHold.fromHoldItem(item);
                    if (now.isBefore(hold.expiresAt())) return false;
                    if (close(hold, 0, false, "", null).byThisCall()) released[0]++;
                    return true;
                });
            }
        }
        return released[0];
    }

    // ---- the optimistic loops ----

    /**
     * Settles ({@code settle}) or releases the open hold, once.
     *
     * @param now the settlement time; {@code null} for a release
     */
    private Closed close(OpenHold hold, long cost, boolean settle, String reference, Instant now) {
        OpenHold current = hold;
        long charge = settle ? cost : 0;
        Long observedFree = null;
        for (int attempt = 0; ; attempt++) {
            if (attempt > 1) Dynamo.backoff(attempt - 1, settle ? "settle hold" : "release hold");
            if (dynamo.transact(closeRequest(table, current, settle, charge, reference, now, observedFree))) {
                forget(current);
                return new Closed(true, charge);
            }
            Map<String, AttributeValue> record = dynamo.get(table, entryKey(current.account(), current.holdId()));
            if (record == null || !OPEN.equals(Codec.str(record, HOLD))) {
                forget(current);
                return new Closed(false, chargedBy(record));
            }
            current = current.withLapsed(Codec.flag(record, LAPSED));
            BookView book = settle ? readBook(current.account(), now) : readBookItem(current.account());
            if (book == null) throw new IllegalStateException("an open hold without a book: " + current);
            if (settle) {
                List<OpenHold> others = book.expiredReserving(current.holdId());
                if (!others.isEmpty()) {
                    others.forEach(this::lapse);
                    charge = cost;
                    observedFree = null;
                    continue;
                }
                charge = Math.max(0, Math.min(cost, book.free() + current.reserved()));
            }
            observedFree = book.free();
        }
    }

    /** Gives an expired hold's money back to the book; the hold stays open until settled or swept. */
    private void lapse(OpenHold hold) {
        Long observedFree = null;
        for (int attempt = 0; ; attempt++) {
            if (attempt > 1) Dynamo.backoff(attempt - 1, "lapse hold");
            if (dynamo.transact(lapseRequest(table, hold, observedFree))) return;
            Map<String, AttributeValue> record = dynamo.get(table, entryKey(hold.account(), hold.holdId()));
            if (record == null || !OPEN.equals(Codec.str(record, HOLD)) || Codec.flag(record, LAPSED)) return;
            BookView book = readBookItem(hold.account());
            if (book == null) throw new IllegalStateException("an open hold without a book: " + hold);
            observedFree = book.free();
        }
    }

    /** The book and the expired holds at {@code now}, or {@code null} if the account has no book. */
    private BookView readBook(AccountId account, Instant now) {
        List<Map<String, AttributeValue>> books = new ArrayList<>(1);
        List<OpenHold> expired = new ArrayList<>();
        dynamo.queryAll(prefixQuery(table, partition(account), BOOK).toBuilder().limit(BOOK_PAGE).build(), item -> {
            // The book sorts first, then the open holds by expiry: stop at the first live hold.
            if (BOOK.equals(Codec.str(item, SK))) {
                books.add(item);
                return true;
            }
            OpenHold hold = OpenHold.fromHoldItem(item);
            if (now.isBefore(hold.expiresAt())) return false;
            expired.add(hold);
            return true;
        });
        return books.isEmpty() ? null : BookView.of(books.get(0), expired);
    }

    /** The book alone (no holds), or {@code null}. */
    private BookView readBookItem(AccountId account) {
        Map<String, AttributeValue> item = dynamo.get(table, Codec.key(partition(account), BOOK));
        return item == null ? null : BookView.of(item, List.of());
    }

    private void remember(OpenHold hold) {
        synchronized (placed) {
            placed.put(memoKey(hold.account(), hold.holdId()), hold);
        }
    }

    private OpenHold recall(AccountId account, String holdId) {
        synchronized (placed) {
            return placed.get(memoKey(account, holdId));
        }
    }

    private void forget(OpenHold hold) {
        synchronized (placed) {
            placed.remove(memoKey(hold.account(), hold.holdId()));
        }
    }

    private static String memoKey(AccountId account, String holdId) {
        return account.value() + '\u0000' + holdId;
    }

    private static long chargedBy(Map<String, AttributeValue> record) {
        if (record == null || !LedgerEntry.Kind.USAGE.name().equals(Codec.str(record, KIND))) return 0;
        return -Codec.num(record, CENTS);
    }

    // ---- the requests (package-private: DynamoDbRequestsTest pins them) ----

    static String partition(AccountId account) {
        return DynamoDbAccounts.partition(account);
    }

    static Map<String, AttributeValue> entryKey(AccountId account, String id) {
        return Codec.key(partition(account), ENTRY_PREFIX + id);
    }

    static String holdSortKey(OpenHold hold) {
        return HOLD_PREFIX + Codec.sortable(hold.expiresAt()) + "#" + hold.holdId();
    }

    static String sweepPartition(OpenHold hold, int shards) {
        int shard = Math.floorMod((hold.account().value() + "#" + hold.holdId()).hashCode(), shards);
        return HOUR.format(hold.expiresAt()) + "#" + shard;
    }

    /** Reserves the hold in the book, writes the open hold and the hold's record, each once. */
    static TransactWriteItemsRequest placeHoldRequest(String table, OpenHold hold, int shards) {
        String pk = partition(hold.account());
        Update book = Update.builder()
                .tableName(table)
                .key(Codec.key(pk, BOOK))
                .updateExpression("SET #free = #free - :amount")
                .conditionExpression("attribute_exists(#free) AND attribute_not_exists(#overdrawn) AND #free >= :amount")
                .expressionAttributeNames(Map.of("#free", FREE, "#overdrawn", OVERDRAWN))
                .expressionAttributeValues(Map.of(":amount", n(hold.amount())))
                .build();
        Map<String, AttributeValue> open = new HashMap<>();
        open.put(PK, s(pk));
        open.put(SK, s(holdSortKey(hold)));
        open.put(ACCOUNT, s(hold.account().value()));
        open.put(HOLD_ID, s(hold.holdId()));
        open.put(AMOUNT, n(hold.amount()));
        open.put(EXPIRES_AT, Codec.time(hold.expiresAt()));
        open.put(SWEEP_PK, s(sweepPartition(hold, shards)));
        open.put(SWEEP_SK, s(Codec.sortable(hold.expiresAt())));
        Map<String, AttributeValue> record = new HashMap<>(entryKey(hold.account(), hold.holdId()));
        record.put(HOLD, s(OPEN));
        record.put(AMOUNT, n(hold.amount()));
        record.put(EXPIRES_AT, Codec.time(hold.expiresAt()));
        return TransactWriteItemsRequest.builder().transactItems(
                TransactWriteItem.builder().update(book).build(),
                TransactWriteItem.builder().put(putIfAbsent(table, open)).build(),
                TransactWriteItem.builder().put(putIfAbsent(table, record)).build()).build();
    }

    /**
     * Closes an open hold: the book gets back what the hold reserves minus the charge, the
     * open-hold item goes, the hold's record becomes SETTLED (its usage entry) or RELEASED. A lapsed
     * hold reserves nothing, so releasing it leaves the book alone.
     *
     * @param observedFree {@code null} for the first, read-free attempt (conditioned on
     *                     {@code free >= charge - reserved}); else the {@code free} just read, which
     *                     the write requires unchanged
     */
    static TransactWriteItemsRequest closeRequest(String table, OpenHold hold, boolean settle, long charge,
                                                  String reference, Instant now, Long observedFree) {
        String pk = partition(hold.account());
        List<TransactWriteItem> items = new ArrayList<>(3);
        long delta = hold.reserved() - charge;
        if (charge != 0 || delta != 0) {
            items.add(TransactWriteItem.builder()
                    .update(bookUpdate(table, pk, charge, delta, Math.max(0, -delta), observedFree)).build());
        }
        items.add(TransactWriteItem.builder().delete(Delete.builder().tableName(table).key(Codec.key(pk, holdSortKey(hold)))
                .conditionExpression("attribute_exists(#holdId)").expressionAttributeNames(Map.of("#holdId", HOLD_ID)).build()).build());
        String stillOpen = hold.lapsed() ? "#hold = :open AND #lapsed = :true" : "#hold = :open AND attribute_not_exists(#lapsed)";
        Map<String, String> names = new HashMap<>();
        names.put("#hold", HOLD);
        names.put("#lapsed", LAPSED);
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":open", s(OPEN));
        if (hold.lapsed()) values.put(":true", Codec.bool(true));
        String expression;
        if (settle) {
            expression = "SET #hold = :settled, #kind = :usage, #cents = :cents, #ref = :ref, #at = :at";
            names.putAll(Map.of("#kind", KIND, "#cents", CENTS, "#ref", REF, "#at", AT));
            values.putAll(Map.of(":settled", s(SETTLED), ":usage", s(LedgerEntry.Kind.USAGE.name()),
                    ":cents", n(-charge), ":ref", s(reference), ":at", Codec.time(now)));
        } else {
            expression = "SET #hold = :released, #ttl = :ttl";
            names.put("#ttl", TTL);
            values.putAll(Map.of(":released", s(RELEASED), ":ttl", Codec.ttl(hold.expiresAt().plus(RELEASED_RECORD_KEPT))));
        }
        items.add(TransactWriteItem.builder().update(Update.builder().tableName(table)
                .key(entryKey(hold.account(), hold.holdId()))
                .updateExpression(expression).conditionExpression(stillOpen)
                .expressionAttributeNames(names).expressionAttributeValues(values).build()).build());
        return TransactWriteItemsRequest.builder().transactItems(items).build();
    }

    /** Gives an expired hold's reservation back to the book and marks the hold lapsed, once. */
    static TransactWriteItemsRequest lapseRequest(String table, OpenHold hold, Long observedFree) {
        String pk = partition(hold.account());
        Update book = bookUpdate(table, pk, 0, hold.amount(), 0, observedFree);
        Update open = Update.builder().tableName(table).key(Codec.key(pk, holdSortKey(hold)))
                .updateExpression("SET #lapsed = :true")
                .conditionExpression("attribute_exists(#holdId) AND attribute_not_exists(#lapsed)")
                .expressionAttributeNames(Map.of("#holdId", HOLD_ID, "#lapsed", LAPSED))
                .expressionAttributeValues(Map.of(":true", Codec.bool(true)))
                .build();
        Update record = Update.builder().tableName(table).key(entryKey(hold.account(), hold.holdId()))
                .updateExpression("SET #lapsed = :true")
                .conditionExpression("#hold = :open AND attribute_not_exists(#lapsed)")
                .expressionAttributeNames(Map.of("#hold", HOLD, "#lapsed", LAPSED))
                .expressionAttributeValues(Map.of(":open", s(OPEN), ":true", Codec.bool(true)))
                .build();
        return TransactWriteItemsRequest.builder().transactItems(
                TransactWriteItem.builder().update(book).build(),
                TransactWriteItem.builder().update(open).build(),
                TransactWriteItem.builder().update(record).build()).build();
    }

    /**
     * The book's side of a close or lapse: {@code balance -= charge}, {@code free += delta}.
     * Read-free ({@code observedFree == null}): requires {@code free >= need} and no overdraft, so
     * {@code free} stays non-negative. Exact: requires {@code free} as read, and sets or clears the
     * overdraft flag from the result.
     */
    static Update bookUpdate(String table, String pk, long charge, long delta, long need, Long observedFree) {
        Map<String, String> names = new HashMap<>();
        names.put("#free", FREE);
        names.put("#overdrawn", OVERDRAWN);
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":delta", n(delta));
        String set = "SET #free = #free + :delta";
        if (charge != 0) {
            set = "SET #balance = #balance - :charge, #free = #free + :delta";
            names.put("#balance", BALANCE);
            values.put(":charge", n(charge));
        }
        String expression;
        String condition;
        if (observedFree == null) {
            expression = set;
            condition = "attribute_exists(#free) AND attribute_not_exists(#overdrawn) AND #free >= :need";
            values.put(":need", n(need));
        } else {
            if (observedFree + delta < 0) {
                expression = set + ", #overdrawn = :true";
                values.put(":true", Codec.bool(true));
            } else {
                expression = set + " REMOVE #overdrawn";
            }
            condition = "#free = :observed";
            values.put(":observed", n(observedFree));
        }
        return Update.builder().tableName(table).key(Codec.key(pk, BOOK))
                .updateExpression(expression).conditionExpression(condition)
                .expressionAttributeNames(names).expressionAttributeValues(values).build();
    }

    /** The read-free post: adds the amount when the book exists, is not overdrawn and has room. */
    static TransactWriteItemsRequest postRequest(String table, LedgerEntry entry) {
        long amount = entry.amountCents();
        Update.Builder book = Update.builder().tableName(table).key(Codec.key(partition(entry.accountId()), BOOK))
                .updateExpression("ADD #balance :amount, #free :amount");
        if (amount >= 0) {
            book.conditionExpression("attribute_exists(#balance) AND attribute_not_exists(#overdrawn) AND #balance <= :headroom")
                    .expressionAttributeNames(Map.of("#balance", BALANCE, "#free", FREE, "#overdrawn", OVERDRAWN))
                    .expressionAttributeValues(Map.of(":amount", n(amount), ":headroom", n(Long.MAX_VALUE - amount)));
        } else {
            book.conditionExpression("attribute_exists(#free) AND attribute_not_exists(#overdrawn) AND #free >= :debit")
                    .expressionAttributeNames(Map.of("#balance", BALANCE, "#free", FREE, "#overdrawn", OVERDRAWN))
                    .expressionAttributeValues(Map.of(":amount", n(amount), ":debit", n(-amount)));
        }
        return withEntry(table, entry, TransactWriteItem.builder().update(book.build()).build());
    }

    /** The first entry of an account: creates its book. */
    static TransactWriteItemsRequest postToNewBookRequest(String table, LedgerEntry entry) {
        Map<String, AttributeValue> book = new HashMap<>(Codec.key(partition(entry.accountId()), BOOK));
        book.put(BALANCE, n(entry.amountCents()));
        book.put(FREE, n(entry.amountCents()));
        if (entry.amountCents() < 0) book.put(OVERDRAWN, Codec.bool(true));
        return withEntry(table, entry, TransactWriteItem.builder().put(putIfAbsent(table, book)).build());
    }

    /** Writes the exact new balance and free money, on the condition that both are still as read. */
    static TransactWriteItemsRequest postExactRequest(String table, LedgerEntry entry, long balance, long free) {
        long newBalance = Math.addExact(balance, entry.amountCents());
        long newFree = Math.addExact(free, entry.amountCents());
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":balance", n(newBalance));
        values.put(":free", n(newFree));
        values.put(":observedBalance", n(balance));
        values.put(":observedFree", n(free));
        String expression = "SET #balance = :balance, #free = :free";
        if (newFree < 0) {
            expression += ", #overdrawn = :true";
            values.put(":true", Codec.bool(true));
        } else {
            expression += " REMOVE #overdrawn";
        }
        Update book = Update.builder().tableName(table).key(Codec.key(partition(entry.accountId()), BOOK))
                .updateExpression(expression)
                .conditionExpression("#balance = :observedBalance AND #free = :observedFree")
                .expressionAttributeNames(Map.of("#balance", BALANCE, "#free", FREE, "#overdrawn", OVERDRAWN))
                .expressionAttributeValues(values)
                .build();
        return withEntry(table, entry, TransactWriteItem.builder().update(book).build());
    }

    static PutItemRequest emptyBookRequest(String table, AccountId account) {
        Map<String, AttributeValue> book = new HashMap<>(Codec.key(partition(account), BOOK));
        book.put(BALANCE, n(0));
        book.put(FREE, n(0));
        return PutItemRequest.builder().tableName(table).item(book)
                .conditionExpression("attribute_not_exists(#pk)").expressionAttributeNames(Map.of("#pk", PK)).build();
    }

    static QueryRequest prefixQuery(String table, String partition, String prefix) {
        return QueryRequest.builder()
                .tableName(table)
                .keyConditionExpression("#pk = :pk AND begins_with(#sk, :prefix)")
                .expressionAttributeNames(Map.of("#pk", PK, "#sk", SK))
                .expressionAttributeValues(Map.of(":pk", s(partition), ":prefix", s(prefix)))
                .consistentRead(true)
                .build();
    }

    static QueryRequest sweepQuery(String table, String sweepPartition) {
        return QueryRequest.builder()
                .tableName(table)
                .indexName(TableDefinitions.HOLDS_BY_EXPIRY)
                .keyConditionExpression("#sweepPk = :bucket")
                .expressionAttributeNames(Map.of("#sweepPk", SWEEP_PK))
                .expressionAttributeValues(Map.of(":bucket", s(sweepPartition)))
                .build();
    }

    private static TransactWriteItemsRequest withEntry(String table, LedgerEntry entry, TransactWriteItem book) {
        Map<String, AttributeValue> item = new HashMap<>(entryKey(entry.accountId(), entry.id()));
        item.put(KIND, s(entry.kind().name()));
        item.put(CENTS, n(entry.amountCents()));
        item.put(REF, s(entry.reference()));
        item.put(AT, Codec.time(entry.at()));
        return TransactWriteItemsRequest.builder().transactItems(book,
                TransactWriteItem.builder().put(putIfAbsent(table, item)).build()).build();
    }

    private static Put putIfAbsent(String table, Map<String, AttributeValue> item) {
        return Put.builder().tableName(table).item(item)
                .conditionExpression("attribute_not_exists(#pk)").expressionAttributeNames(Map.of("#pk", PK)).build();
    }

    /**
     * A hold not yet settled or released.
     *
     * @param lapsed whether it expired and gave its reservation back to the book
     */
    record OpenHold(AccountId account, String holdId, long amount, Instant expiresAt, boolean lapsed) {
        static OpenHold fromHoldItem(Map<String, AttributeValue> item) {
            return new OpenHold(new AccountId(Codec.str(item, ACCOUNT)), Codec.str(item, HOLD_ID), Codec.num(item, AMOUNT),
                    Codec.timeOrNull(item, EXPIRES_AT), Codec.flag(item, LAPSED));
        }

        static OpenHold fromRecord(AccountId account, String holdId, Map<String, AttributeValue> record) {
            return new OpenHold(account, holdId, Codec.num(record, AMOUNT), Codec.timeOrNull(record, EXPIRES_AT),
                    Codec.flag(record, LAPSED));
        }

        /** What the hold keeps out of the book's free money. */
        long reserved() {
            return lapsed ? 0 : amount;
        }

        OpenHold withLapsed(boolean value) {
            return new OpenHold(account, holdId, amount, expiresAt, value);
        }
    }

    /** The book as read, with the holds that had expired at the time asked. */
    private record BookView(long balance, long free, List<OpenHold> expired) {
        static BookView of(Map<String, AttributeValue> book, List<OpenHold> expired) {
            return new BookView(Codec.num(book, BALANCE), Codec.num(book, FREE), List.copyOf(expired));
        }

        /** Free money plus what expired holds still keep out of it. */
        long available() {
            return free + expired.stream().mapToLong(OpenHold::reserved).sum();
        }

        /** The expired holds that still reserve money, but {@code except}. */
        List<OpenHold> expiredReserving(String except) {
            return expired.stream().filter(h -> !h.lapsed() && !h.holdId().equals(except)).toList();
        }
    }

    /** How a close ended: whether this call closed the hold, and what was charged for it. */
    private record Closed(boolean byThisCall, long charged) {
    }
}
