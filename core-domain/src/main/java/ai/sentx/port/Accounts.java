package ai.sentx.port;

import ai.sentx.domain.Account;
import ai.sentx.domain.AccountId;
import java.util.Optional;

/** The account holders. */
public interface Accounts {
    /** Stores {@code account} unless one with its id exists; returns the stored one. */
    Account createIfAbsent(Account account);

    /** The account, or empty. */
    Optional<Account> find(AccountId id);
}
