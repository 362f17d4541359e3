package ai.sentx.application;

import ai.sentx.port.BlobStore;
import ai.sentx.port.FileCatalog;
import java.time.Clock;

/** The scheduled sweep of files past their 30 days: entries, caps and bytes (CONTRACT §8). */
public final class SweepExpiredFiles {
    private static final int MAX_BATCHES = 50;

    private final ExpiredFiles expired;
    private final Clock clock;

    public SweepExpiredFiles(FileCatalog catalog, BlobStore blobs, Clock clock) {
        this.expired = new ExpiredFiles(catalog, blobs);
        this.clock = clock;
    }

    /** Removes expired files in batches until none is left (or a bounded number of batches ran); returns how many. */
    public int sweep() {
        int total = 0;
        for (int i = 0; i < MAX_BATCHES; i++) {
            int removed = expired.sweep(clock.instant());
            total += removed;
            if (removed == 0) break;
        }
        return total;
    }
}
