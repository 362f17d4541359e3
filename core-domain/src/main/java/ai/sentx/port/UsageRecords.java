package ai.sentx.port;

import ai.sentx.domain.UsagePage;
import ai.sentx.domain.UsageQuery;
import ai.sentx.domain.UsageRecord;

/** Per-request usage records. */
public interface UsageRecords {
    /** Stores the record; a second record with the same id is ignored. */
    void append(UsageRecord record);

    /** One page of records matching {@code query}, newest first (ties by id, descending). */
    UsagePage query(UsageQuery query);
}
