package ai.sentx.application;

import ai.sentx.domain.AccountId;
import ai.sentx.domain.files.StoredFile;
import ai.sentx.port.BlobStore;
import ai.sentx.port.BlobStoreException;
import ai.sentx.port.FileCatalog;
import java.io.InputStream;
import java.time.Clock;

/** {@code GET /v1/files/{id}/content}: the bytes of one of the calling account's files. */
public final class ReadFileContent {
    private final ShowFile show;
    private final BlobStore blobs;

    public ReadFileContent(FileCatalog catalog, BlobStore blobs, Clock clock) {
        this.show = new ShowFile(catalog, clock);
        this.blobs = blobs;
    }

    /** A file and its bytes; the caller closes the stream. */
    public record Content(StoredFile file, InputStream bytes) {
    }

    /** @throws ai.sentx.domain.FailureException {@code file_not_found} */
    public Content read(AccountId account, String fileId) {
        StoredFile file = show.show(account, fileId);
        try {
            return new Content(file, blobs.open(file.blobKey()));
        } catch (BlobStoreException.NotFound e) {
            // Deleted between the two reads.
            throw ShowFile.notFound(fileId);
        }
    }
}
