package ai.sentx.domain;

import java.time.Instant;
import java.util.Objects;

/** An account holder. The balance is not here: it is the sum of the account's ledger. */
public record Account(AccountId id, String name, Instant createdAt) {
    public Account {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
