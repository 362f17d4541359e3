package ai.sentx.persistence.memory;

import ai.sentx.port.Accounts;
import ai.sentx.port.contract.AccountsContract;

/** Runs the {@link AccountsContract} on {@link InMemoryAccounts}. */
class InMemoryAccountsTest implements AccountsContract {
    @Override
    public Accounts newAccounts() {
        return new InMemoryAccounts();
    }
}
