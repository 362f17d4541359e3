package ai.sentx.application;

import ai.sentx.domain.files.FilePage;
import ai.sentx.domain.files.FileQuery;
import ai.sentx.port.FileCatalog;
import java.time.Clock;

/** {@code GET /v1/files}: a page of the calling account's live files. */
public final class ListFiles {
    private final FileCatalog catalog;
    private final Clock clock;

    public ListFiles(FileCatalog catalog, Clock clock) {
        this.catalog = catalog;
        this.clock = clock;
    }

    public FilePage list(FileQuery query) {
        return catalog.list(query, clock.instant());
    }
}
