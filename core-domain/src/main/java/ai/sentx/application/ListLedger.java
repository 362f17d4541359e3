package ai.sentx.application;

import ai.sentx.domain.AccountId;
import ai.sentx.domain.LedgerEntry;
import ai.sentx.domain.LedgerLine;
import ai.sentx.domain.LedgerPage;
import ai.sentx.port.Ledger;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The account's statement ({@code GET /account/ledger}): top-ups, usage, refunds and disputes side
 * by side, newest first, each with the balance after it.
 */
public final class ListLedger {
    private final Ledger ledger;

    public ListLedger(Ledger ledger) {
        this.ledger = Objects.requireNonNull(ledger, "ledger");
    }

    /**
     * @param after the id of the last entry of the previous page, or {@code null} for the first
     *              page; an id not in the ledger gives an empty page
     * @param limit 1..1000
     * @throws IllegalArgumentException for a limit outside 1..1000
     */
    public LedgerPage list(AccountId account, String after, int limit) {
        Objects.requireNonNull(account, "account");
        if (limit < 1 || limit > 1000) throw new IllegalArgumentException("limit must be 1..1000");
        List<LedgerEntry> entries = ledger.entries(account);
        long[] balanceAfter = new long[entries.size()];
        long balance = 0;
        for (int i = 0; i < entries.size(); i++) {
            balance += entries.get(i).amountCents();
            balanceAfter[i] = balance;
        }
        int start = entries.size() - 1;
        if (after != null) {
            start = -1;
            for (int i = entries.size() - 1; i >= 0; i--) {
                if (entries.get(i).id().equals(after)) {
                    start = i - 1;
                    break;
                }
            }
            if (start < 0) return new LedgerPage(List.of(), false);
        }
        List<LedgerLine> page = new ArrayList<>(Math.min(limit, start + 1));
        int i = start;
        for (; i >= 0 && page.size() < limit; i--) page.add(new LedgerLine(entries.get(i), balanceAfter[i]));
        return new LedgerPage(page, i >= 0);
    }
}
