package ai.sentx.application;

import ai.sentx.domain.AccountId;
import ai.sentx.domain.files.StoredFile;
import ai.sentx.port.BlobStore;
import ai.sentx.port.FileCatalog;
import java.time.Instant;
import java.util.List;

/** Frees expired files: catalogue entry first (so the caps are freed once), then the bytes. */
final class ExpiredFiles {
    private static final System.Logger LOG = System.getLogger(ExpiredFiles.class.getName());
    private static final int BATCH = 100;

    private final FileCatalog catalog;
    private final BlobStore blobs;

    ExpiredFiles(FileCatalog catalog, BlobStore blobs) {
        this.catalog = catalog;
        this.blobs = blobs;
    }

    /** Removes every file of {@code account} expired at {@code now}; returns how many. */
    int sweep(AccountId account, Instant now) {
        return removeAll(catalog.expired(account, now, BATCH));
    }

    /** Removes up to a batch of expired files of any account; returns how many. */
    int sweep(Instant now) {
        return removeAll(catalog.expired(now, BATCH));
    }

    private int removeAll(List<StoredFile> files) {
        int removed = 0;
        for (StoredFile f : files) {
            if (catalog.remove(f.account(), f.id()).isPresent()) removed++;
            deleteBytes(blobs, f);
        }
        return removed;
    }

    /** Deletes a removed file's bytes; a failure is left to the bucket's lifecycle rule. */
    static void deleteBytes(BlobStore blobs, StoredFile file) {
        try {
            blobs.delete(file.blobKey());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not delete the bytes of file " + file.id()
                    + "; the storage lifecycle rule will");
        }
    }
}
