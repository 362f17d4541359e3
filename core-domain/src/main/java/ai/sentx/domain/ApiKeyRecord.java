package ai.sentx.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * An API key as stored: never the key itself, only its keyed hash and display hint.
 *
 * @param revokedAt  {@code null} while active
 * @param lastUsedAt {@code null} until first used
 */
public record ApiKeyRecord(KeyId id, AccountId accountId, String name, String hash, String hint,
                           Instant createdAt, Instant lastUsedAt, Instant revokedAt) {
    public ApiKeyRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(hash, "hash");
        Objects.requireNonNull(hint, "hint");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    public boolean active() {
        return revokedAt == null;
    }

    public ApiKeyRecord usedAt(Instant when) {
        return new ApiKeyRecord(id, accountId, name, hash, hint, createdAt, when, revokedAt);
    }

    public ApiKeyRecord revoked(Instant when) {
        return new ApiKeyRecord(id, accountId, name, hash, hint, createdAt, lastUsedAt, when);
    }
}
