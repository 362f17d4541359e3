package ai.sentx.application;

import ai.sentx.domain.UsagePage;
import ai.sentx.domain.UsageQuery;
import ai.sentx.port.UsageRecords;

/** A page of the account's per-request usage records. */
public final class ListUsage {
    private final UsageRecords usage;

    public ListUsage(UsageRecords usage) {
        this.usage = usage;
    }

    public UsagePage list(UsageQuery query) {
        return usage.query(query);
    }
}
