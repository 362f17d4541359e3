package ai.sentx.port.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.sentx.domain.Account;
import ai.sentx.domain.AccountId;
import ai.sentx.port.Accounts;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Accounts} must do: an account is created once, whoever asks first wins, and
 * later creations with the same id get the stored account back.
 *
 * <p>Each case uses fresh random account ids, so a backing store shared by the cases of one run
 * serves them all.
 */
public interface AccountsContract {
    /** The accounts to test; they may share a backing store with earlier ones, ids never collide. */
    Accounts newAccounts();

    @Test
    default void createsAnAccount_andFindsIt() {
        Accounts accounts = newAccounts();
        Account account = anAccount(anId(), "Ada");

        assertEquals(account, accounts.createIfAbsent(account));

        assertEquals(Optional.of(account), accounts.find(account.id()));
    }

    @Test
    default void keepsTheFirst_whenTheSameAccountIsCreatedTwice() {
        Accounts accounts = newAccounts();
        AccountId id = anId();
        Account first = anAccount(id, "first");
        accounts.createIfAbsent(first);

        Account returned = accounts.createIfAbsent(anAccount(id, "second"));

        assertEquals(first, returned);
        assertEquals(Optional.of(first), accounts.find(id));
    }

    @Test
    default void findsNothing_forAnUnknownAccount() {
        Accounts accounts = newAccounts();

        assertEquals(Optional.empty(), accounts.find(anId()));
    }

    @Test
    default void agreesOnOneAccount_whenManyCreationsRace() {
        Accounts accounts = newAccounts();
        AccountId id = anId();

        List<Account> returned = Race.run(16, i -> accounts.createIfAbsent(anAccount(id, "racer " + i)));

        Account stored = accounts.find(id).orElseThrow();
        returned.forEach(account -> assertEquals(stored, account, "every racer gets the stored account"));
    }

    private static AccountId anId() {
        return new AccountId("acct_" + UUID.randomUUID());
    }

    /** Second precision, so a store that keeps coarser times than the JVM still compares equal. */
    private static Account anAccount(AccountId id, String name) {
        return new Account(id, name, Instant.now().truncatedTo(ChronoUnit.SECONDS));
    }
}
