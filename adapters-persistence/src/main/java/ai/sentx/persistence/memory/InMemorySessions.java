package ai.sentx.persistence.memory;

import ai.sentx.domain.AccountId;
import ai.sentx.domain.KeyHasher;
import ai.sentx.port.Sessions;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link Sessions} of a single JVM (the local server's demo account). Only the keyed hash of
 * each token is kept, so a heap dump does not reveal a usable session.
 */
public final class InMemorySessions implements Sessions {
    private final KeyHasher hasher;
    private final ConcurrentHashMap<String, Session> byHash = new ConcurrentHashMap<>();

    /** @param hasher hashes tokens on registration and on every authentication */
    public InMemorySessions(KeyHasher hasher) {
        this.hasher = Objects.requireNonNull(hasher, "hasher");
    }

    /**
     * Makes {@code token} a session of {@code account}; registering a token again moves it.
     *
     * @throws IllegalArgumentException if {@code token} is blank
     */
    public void register(String token, AccountId account) {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(account, "account");
        if (token.isBlank()) throw new IllegalArgumentException("blank session token");
        String hash = hasher.hash(token);
        byHash.put(hash, new Session(hash, account));
    }

    /** {@inheritDoc} */
    @Override
    public Optional<AccountId> authenticate(String token) {
        if (token == null || token.isBlank()) return Optional.empty();
        String hash = hasher.hash(token);
        Session session = byHash.get(hash);
        // The lookup already matched; the constant-time check keeps the final decision free of
        // early-exit comparisons should the map ever be replaced by a scan.
        if (session == null || !KeyHasher.sameHash(session.hash(), hash)) return Optional.empty();
        return Optional.of(session.account());
    }

    private record Session(String hash, AccountId account) {
    }
}
