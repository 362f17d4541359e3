package ai.sentx.persistence.memory;

import ai.sentx.domain.AccountId;
import ai.sentx.domain.UsagePage;
import ai.sentx.domain.UsageQuery;
import ai.sentx.domain.UsageRecord;
import ai.sentx.port.UsageRecords;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The {@link UsageRecords} of a single JVM (the local server). Each account has its own index,
 * sorted newest first, so a query reads only that account's records, starting at its cursor or
 * at its {@code to} bound and stopping at its {@code from} bound or once the page is full. Lock-free.
 *
 * <p>Ids are unique within an account. A cursor ({@code after}) that names no record of the
 * account gives an empty page.
 */
public final class InMemoryUsageRecords implements UsageRecords {
    /** Later instants first, then greater ids first (the reverse of ordering by instant, then id). */
    private static final Comparator<Position> NEWEST_FIRST = (a, b) -> {
        int byTime = b.at().compareTo(a.at());
        return byTime != 0 ? byTime : b.id().compareTo(a.id());
    };

    private final ConcurrentHashMap<AccountId, Shelf> shelves = new ConcurrentHashMap<>();

    /** No records yet. */
    public InMemoryUsageRecords() {
    }

    /** {@inheritDoc} */
    @Override
    public void append(UsageRecord record) {
        Objects.requireNonNull(record, "record");
        Shelf shelf = shelves.computeIfAbsent(record.accountId(), a -> new Shelf());
        Position position = new Position(record.at(), record.id());
        if (shelf.byId.putIfAbsent(record.id(), position) == null) {
            shelf.byTime.put(position, record);
        }
    }

    /** {@inheritDoc} */
    @Override
    public UsagePage query(UsageQuery query) {
        Objects.requireNonNull(query, "query");
        Shelf shelf = shelves.get(query.accountId());
        if (shelf == null) return new UsagePage(List.of(), false);
        // Both bounds are exclusive: the cursor record was on the previous page, and "" sorts last
        // among the ids of the instant {@code to}, so the view starts strictly before {@code to}.
        Position start = null;
        if (query.to() != null) start = new Position(query.to(), "");
        if (query.after() != null) {
            Position cursor = shelf.byId.get(query.after());
            if (cursor == null) return new UsagePage(List.of(), false);
            if (start == null || NEWEST_FIRST.compare(cursor, start) > 0) start = cursor;
        }
        NavigableMap<Position, UsageRecord> view = start == null ? shelf.byTime : shelf.byTime.tailMap(start, false);
        List<UsageRecord> page = new ArrayList<>(Math.min(query.limit() + 1, 64));
        for (Map.Entry<Position, UsageRecord> entry : view.entrySet()) {
            UsageRecord record = entry.getValue();
            if (query.from() != null && record.at().isBefore(query.from())) break;
            if (!query.matches(record)) continue;
            page.add(record);
            if (page.size() > query.limit()) break;
        }
        boolean hasMore = page.size() > query.limit();
        return new UsagePage(hasMore ? page.subList(0, query.limit()) : page, hasMore);
    }

    private record Position(Instant at, String id) {
    }

    /** One account's records: by position for queries, by id for deduplication and cursors. */
    private static final class Shelf {
        final ConcurrentSkipListMap<Position, UsageRecord> byTime = new ConcurrentSkipListMap<>(NEWEST_FIRST);
        final ConcurrentHashMap<String, Position> byId = new ConcurrentHashMap<>();
    }
}
