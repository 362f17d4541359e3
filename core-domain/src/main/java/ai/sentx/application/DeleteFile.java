package ai.sentx.application;

import ai.sentx.domain.AccountId;
import ai.sentx.domain.files.StoredFile;
import ai.sentx.port.BlobStore;
import ai.sentx.port.FileCatalog;
import java.time.Clock;

/** {@code DELETE /v1/files/{id}}: removes the entry, frees its share of the caps, deletes the bytes. */
public final class DeleteFile {
    private final FileCatalog catalog;
    private final BlobStore blobs;
    private final ShowFile show;

    public DeleteFile(FileCatalog catalog, BlobStore blobs, Clock clock) {
        this.catalog = catalog;
        this.blobs = blobs;
        this.show = new ShowFile(catalog, clock);
    }

    /** @throws ai.sentx.domain.FailureException {@code file_not_found} (also for a second delete) */
    public StoredFile delete(AccountId account, String fileId) {
        show.show(account, fileId);
        StoredFile removed = catalog.remove(account, fileId).orElseThrow(() -> ShowFile.notFound(fileId));
        ExpiredFiles.deleteBytes(blobs, removed);
        return removed;
    }
}
