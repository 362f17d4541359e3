package ai.sentx.domain;

import java.util.List;

/** Records newest first; {@code hasMore} when a further page exists. */
public record UsagePage(List<UsageRecord> data, boolean hasMore) {
    public UsagePage {
        data = List.copyOf(data);
    }
}
