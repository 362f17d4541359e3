package ai.sentx.application;

import ai.sentx.domain.Account;
import ai.sentx.domain.AccountId;
import ai.sentx.domain.Failure;
import ai.sentx.domain.FailureException;
import ai.sentx.domain.Problem;
import ai.sentx.port.Accounts;
import ai.sentx.port.Ledger;
import java.time.Clock;

/** An account with its balance (the ledger's sum) and what running requests hold. */
public final class ShowAccount {
    private final Accounts accounts;
    private final Ledger ledger;
    private final Clock clock;

    public ShowAccount(Accounts accounts, Ledger ledger, Clock clock) {
        this.accounts = accounts;
        this.ledger = ledger;
        this.clock = clock;
    }

    /** @param heldCents reserved by requests in flight */
    public record View(Account account, long balanceCents, long heldCents) {
    }

    /** @throws FailureException {@code INVALID_SESSION} if the account no longer exists */
    public View show(AccountId id) {
        Account account = accounts.find(id).orElseThrow(() -> Failure.of(Problem.INVALID_SESSION,
                "The session's account does not exist.").exception());
        long balance = ledger.balance(id);
        long available = ledger.available(id, clock.instant());
        return new View(account, balance, Math.max(0, balance - available));
    }
}
