package ai.sentx.persistence.memory;

import ai.sentx.domain.AccountId;
import ai.sentx.domain.ApiKeyRecord;
import ai.sentx.domain.KeyId;
import ai.sentx.port.ApiKeys;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The {@link ApiKeys} of a single JVM (the local server). Lookups by hash are lock-free; creations
 * and revocations of one account are serialised by that account's {@link ReentrantLock}, which
 * makes the active-key limit exact.
 *
 * <p>Creating a key whose id is already stored with the same hash is a retry: it returns
 * {@link Creation.Created} and stores nothing. A key id or hash that is already stored for a
 * different key is rejected with {@link IllegalArgumentException}.
 */
public final class InMemoryApiKeys implements ApiKeys {
    private static final Comparator<ApiKeyRecord> OLDEST_FIRST =
            Comparator.comparing(ApiKeyRecord::createdAt).thenComparing(k -> k.id().value());

    private final ConcurrentHashMap<KeyId, ApiKeyRecord> byId = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, KeyId> byHash = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<AccountId, Holder> holders = new ConcurrentHashMap<>();

    /** An empty key store. */
    public InMemoryApiKeys() {
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException if {@code maxActive} is negative, or the key's id or hash
     *                                  belongs to a different stored key
     */
    @Override
    public Creation create(ApiKeyRecord key, int maxActive) {
        Objects.requireNonNull(key, "key");
        if (maxActive < 0) throw new IllegalArgumentException("maxActive cannot be negative");
        Holder holder = holders.computeIfAbsent(key.accountId(), a -> new Holder());
        holder.lock.lock();
        try {
            ApiKeyRecord stored = byId.get(key.id());
            if (stored != null) {
                if (stored.accountId().equals(key.accountId()) && stored.hash().equals(key.hash())) {
                    return new Creation.Created();
                }
                throw new IllegalArgumentException("key id " + key.id() + " is already taken");
            }
            if (key.active() && holder.active >= maxActive) return new Creation.LimitReached(holder.active);
            // Claimed first: two accounts never share a hash, and their locks do not exclude each other.
            if (byHash.putIfAbsent(key.hash(), key.id()) != null) {
                throw new IllegalArgumentException("another key has the same hash");
            }
            byId.put(key.id(), key);
            holder.keys.add(key.id());
            if (key.active()) holder.active++;
            return new Creation.Created();
        } finally {
            holder.lock.unlock();
        }
    }

    /** {@inheritDoc} Empty for {@code null}. */
    @Override
    public Optional<ApiKeyRecord> findByHash(String hash) {
        if (hash == null) return Optional.empty();
        KeyId id = byHash.get(hash);
        return id == null ? Optional.empty() : Optional.ofNullable(byId.get(id));
    }

    /** {@inheritDoc} Ties on {@code createdAt} are ordered by key id. */
    @Override
    public List<ApiKeyRecord> list(AccountId account) {
        Objects.requireNonNull(account, "account");
        Holder holder = holders.get(account);
        if (holder == null) return List.of();
        List<ApiKeyRecord> keys = new ArrayList<>();
        holder.lock.lock();
        try {
            for (KeyId id : holder.keys) keys.add(byId.get(id));
        } finally {
            holder.lock.unlock();
        }
        keys.sort(OLDEST_FIRST);
        return List.copyOf(keys);
    }

    /** {@inheritDoc} A key revoked before keeps its first revocation time. */
    @Override
    public boolean revoke(AccountId account, KeyId key, Instant at) {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(at, "at");
        Holder holder = holders.get(account);
        if (holder == null) return false;
        holder.lock.lock();
        try {
            ApiKeyRecord stored = byId.get(key);
            if (stored == null || !stored.accountId().equals(account)) return false;
            if (!stored.active()) return true;
            // compute, not put: a concurrent touch of the same key must not be lost, nor undo this.
            byId.compute(key, (id, current) -> current.active() ? current.revoked(at) : current);
            holder.active--;
            return true;
        } finally {
            holder.lock.unlock();
        }
    }

    /** {@inheritDoc} Never moves {@code lastUsedAt} backwards; an unknown key is ignored. */
    @Override
    public void touch(KeyId key, Instant at) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(at, "at");
        byId.computeIfPresent(key, (id, current) ->
                current.lastUsedAt() == null || current.lastUsedAt().isBefore(at) ? current.usedAt(at) : current);
    }

    /** One account's keys in creation order; guarded by {@link #lock}. */
    private static final class Holder {
        final ReentrantLock lock = new ReentrantLock();
        final List<KeyId> keys = new ArrayList<>();
        int active;
    }
}
