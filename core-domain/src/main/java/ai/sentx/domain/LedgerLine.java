package ai.sentx.domain;

import java.util.Objects;

/**
 * One ledger entry as the account's statement shows it: the entry and the balance right after it.
 *
 * @param balanceAfterCents the sum of this entry and every entry applied before it
 */
public record LedgerLine(LedgerEntry entry, long balanceAfterCents) {
    public LedgerLine {
        Objects.requireNonNull(entry, "entry");
    }
}
