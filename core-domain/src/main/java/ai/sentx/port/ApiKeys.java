package ai.sentx.port;

import ai.sentx.domain.AccountId;
import ai.sentx.domain.ApiKeyRecord;
import ai.sentx.domain.KeyId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Stored API keys (hash and hint only). */
public interface ApiKeys {
    /**
     * Stores {@code key} if its account has fewer than {@code maxActive} active keys, atomically
     * with respect to concurrent creations for the same account. Creating the same record again
     * (a retry) returns {@code Created} and stores it once.
     */
    Creation create(ApiKeyRecord key, int maxActive);

    /** The key whose keyed hash is {@code hash}, active or revoked; empty if none. */
    Optional<ApiKeyRecord> findByHash(String hash);

    /** The account's keys, active and revoked, oldest first. */
    List<ApiKeyRecord> list(AccountId account);

    /** Revokes the account's key; false if no such key of that account exists. Idempotent. */
    boolean revoke(AccountId account, KeyId key, Instant at);

    /** Records a use of the key (best effort; may be coarse). */
    void touch(KeyId key, Instant at);

    /** The outcome of {@link #create}. */
    sealed interface Creation {
        record Created() implements Creation {
        }

        record LimitReached(int active) implements Creation {
        }
    }
}
