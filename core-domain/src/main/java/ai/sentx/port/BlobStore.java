package ai.sentx.port;

import java.io.InputStream;
import java.nio.file.Path;

/**
 * File bytes by key (S3 on AWS, a directory on the local server). Streams both ways: no
 * implementation holds a whole file in memory. Failures are {@link BlobStoreException}s.
 */
public interface BlobStore {
    /**
     * Stores the {@code length} bytes of {@code source} under {@code key}, replacing what was there.
     * {@code contentType} may be {@code null}.
     *
     * @throws IllegalArgumentException if {@code length} is not the size of {@code source} (nothing is stored)
     */
    void put(String key, Path source, long length, String contentType);

    /**
     * Opens the bytes under {@code key}; the caller closes the stream.
     *
     * @throws BlobStoreException.NotFound if there is nothing under {@code key}
     */
    InputStream open(String key);

    /** Deletes {@code key}. Idempotent: deleting a missing key is not an error. */
    void delete(String key);
}
