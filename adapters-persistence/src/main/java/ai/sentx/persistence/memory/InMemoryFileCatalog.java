package ai.sentx.persistence.memory;

import ai.sentx.domain.AccountId;
import ai.sentx.domain.files.FilePage;
import ai.sentx.domain.files.FileQuery;
import ai.sentx.domain.files.StoredFile;
import ai.sentx.port.FileCatalog;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The {@link FileCatalog} of a single JVM (the local server). Every change and every read of one
 * account holds that account's {@link ReentrantLock}, which makes the caps exact and the dedupe
 * by SHA-256 race-free; finding a file by id is lock-free.
 *
 * <p>Adding bytes whose earlier file of the account had expired at the new file's
 * {@code createdAt} (but was not removed yet) removes that file and stores the new one, in one
 * step: expired files never block an upload. Adding a file whose id is already stored for other
 * bytes is rejected with {@link IllegalArgumentException}.
 */
public final class InMemoryFileCatalog implements FileCatalog {
    /** Creation order, ties by id: the order of the ascending list. */
    private static final Comparator<StoredFile> OLDEST_FIRST =
            Comparator.comparing(StoredFile::createdAt).thenComparing(StoredFile::id);
    /** Expiry order, ties by id: the order of the expiry reads. */
    private static final Comparator<StoredFile> FIRST_TO_EXPIRE =
            Comparator.comparing(StoredFile::expiresAt).thenComparing(StoredFile::id);

    private final ConcurrentHashMap<String, StoredFile> byId = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<AccountId, Holder> holders = new ConcurrentHashMap<>();

    /** An empty catalog. */
    public InMemoryFileCatalog() {
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException if a cap is negative, or the file's id is already stored
     *                                  for other bytes
     */
    @Override
    public AddResult add(StoredFile file, int maxFiles, long maxBytes) {
        Objects.requireNonNull(file, "file");
        if (maxFiles < 0 || maxBytes < 0) throw new IllegalArgumentException("caps cannot be negative");
        Holder holder = holders.computeIfAbsent(file.account(), a -> new Holder());
        holder.lock.lock();
        try {
            StoredFile same = holder.bySha256.get(file.sha256());
            StoredFile stale = null;
            if (same != null) {
                if (!same.expiredAt(file.createdAt())) return new AddResult.Duplicate(same);
                stale = same;
            }
            int files = holder.files.size() - (stale == null ? 0 : 1);
            long bytes = holder.bytes - (stale == null ? 0 : stale.bytes());
            if (files >= maxFiles) return new AddResult.TooManyFiles();
            if (file.bytes() > maxBytes - bytes) return new AddResult.OverQuota();
            // Claimed first: ids are unique across accounts, whose locks do not exclude each other.
            if (byId.putIfAbsent(file.id(), file) != null) {
                throw new IllegalArgumentException("file id " + file.id() + " is already taken");
            }
            if (stale != null) holder.drop(stale, byId);
            holder.files.add(file);
            holder.bySha256.put(file.sha256(), file);
            holder.bytes += file.bytes();
            return new AddResult.Added(file);
        } finally {
            holder.lock.unlock();
        }
    }

    /** {@inheritDoc} Empty for a {@code null} id. */
    @Override
    public Optional<StoredFile> find(AccountId account, String fileId, Instant now) {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(now, "now");
        if (fileId == null) return Optional.empty();
        StoredFile file = byId.get(fileId);
        if (file == null || !file.account().equals(account) || file.expiredAt(now)) return Optional.empty();
        return Optional.of(file);
    }

    /** {@inheritDoc} Empty for a {@code null} hash. */
    @Override
    public Optional<StoredFile> findBySha256(AccountId account, String sha256, Instant now) {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(now, "now");
        Holder holder = holders.get(account);
        if (holder == null || sha256 == null) return Optional.empty();
        holder.lock.lock();
        try {
            StoredFile file = holder.bySha256.get(sha256);
            return file == null || file.expiredAt(now) ? Optional.empty() : Optional.of(file);
        } finally {
            holder.lock.unlock();
        }
    }

    /** {@inheritDoc} */
    @Override
    public FilePage list(FileQuery query, Instant now) {
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(now, "now");
        Holder holder = holders.get(query.account());
        if (holder == null) return new FilePage(List.of(), false);
        holder.lock.lock();
        try {
            NavigableSet<StoredFile> ordered = query.descending() ? holder.files.descendingSet() : holder.files;
            if (query.after() != null) {
                StoredFile cursor = byId.get(query.after());
                if (cursor == null || !cursor.account().equals(query.account()) || cursor.expiredAt(now)) {
                    return new FilePage(List.of(), false);
                }
                ordered = ordered.tailSet(cursor, false);
            }
            List<StoredFile> page = new ArrayList<>();
            for (StoredFile file : ordered) {
                if (file.expiredAt(now) || (query.purpose() != null && !query.purpose().equals(file.purpose()))) continue;
                if (page.size() == query.limit()) return new FilePage(page, true);
                page.add(file);
            }
            return new FilePage(page, false);
        } finally {
            holder.lock.unlock();
        }
    }

    /** {@inheritDoc} */
    @Override
    public Optional<StoredFile> remove(AccountId account, String fileId) {
        Objects.requireNonNull(account, "account");
        Holder holder = holders.get(account);
        if (holder == null || fileId == null) return Optional.empty();
        holder.lock.lock();
        try {
            StoredFile file = byId.get(fileId);
            if (file == null || !file.account().equals(account)) return Optional.empty();
            holder.drop(file, byId);
            return Optional.of(file);
        } finally {
            holder.lock.unlock();
        }
    }

    /** {@inheritDoc} Ties on {@code expiresAt} are ordered by id. */
    @Override
    public List<StoredFile> expired(AccountId account, Instant now, int max) {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(now, "now");
        Holder holder = holders.get(account);
        if (holder == null || max < 1) return List.of();
        holder.lock.lock();
        try {
            return holder.files.stream().filter(f -> f.expiredAt(now)).sorted(FIRST_TO_EXPIRE).limit(max).toList();
        } finally {
            holder.lock.unlock();
        }
    }

    /** {@inheritDoc} Oldest first, ties by id. */
    @Override
    public List<StoredFile> expired(Instant now, int max) {
        Objects.requireNonNull(now, "now");
        if (max < 1) return List.of();
        return byId.values().stream().filter(f -> f.expiredAt(now)).sorted(FIRST_TO_EXPIRE).limit(max).toList();
    }

    /** One account's files and their total size; guarded by {@link #lock}. */
    private static final class Holder {
        final ReentrantLock lock = new ReentrantLock();
        final TreeSet<StoredFile> files = new TreeSet<>(OLDEST_FIRST);
        final Map<String, StoredFile> bySha256 = new HashMap<>();
        long bytes;

        void drop(StoredFile file, Map<String, StoredFile> byId) {
            files.remove(file);
            bySha256.remove(file.sha256(), file);
            bytes -= file.bytes();
            byId.remove(file.id(), file);
        }
    }
}
