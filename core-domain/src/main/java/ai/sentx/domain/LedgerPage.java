package ai.sentx.domain;

import java.util.List;

/** Ledger lines newest first; {@code hasMore} when a further (older) page exists. */
public record LedgerPage(List<LedgerLine> data, boolean hasMore) {
    public LedgerPage {
        data = List.copyOf(data);
    }
}
