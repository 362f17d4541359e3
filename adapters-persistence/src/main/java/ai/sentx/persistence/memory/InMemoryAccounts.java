package ai.sentx.persistence.memory;

import ai.sentx.domain.Account;
import ai.sentx.domain.AccountId;
import ai.sentx.port.Accounts;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The {@link Accounts} of a single JVM (the local server); lock-free. */
public final class InMemoryAccounts implements Accounts {
    private final ConcurrentHashMap<AccountId, Account> accounts = new ConcurrentHashMap<>();

    /** No accounts yet. */
    public InMemoryAccounts() {
    }

    /** {@inheritDoc} */
    @Override
    public Account createIfAbsent(Account account) {
        Objects.requireNonNull(account, "account");
        Account existing = accounts.putIfAbsent(account.id(), account);
        return existing == null ? account : existing;
    }

    /** {@inheritDoc} */
    @Override
    public Optional<Account> find(AccountId id) {
        Objects.requireNonNull(id, "id");
        return Optional.ofNullable(accounts.get(id));
    }
}
