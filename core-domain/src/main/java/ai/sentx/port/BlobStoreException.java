package ai.sentx.port;

/** The blob store failed. The message is safe to log: no credentials, no presigned URLs. */
public class BlobStoreException extends RuntimeException {
    public BlobStoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public BlobStoreException(String message) {
        super(message);
    }

    /** Nothing is stored under the key. */
    public static final class NotFound extends BlobStoreException {
        public NotFound(String key) {
            super("no blob under " + key);
        }
    }
}
