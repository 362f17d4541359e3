package ai.sentx.port;

/** A backend failure: the call is not billed. */
public final class ModelBackendException extends Exception {
    /** How it failed. */
    public enum Kind {
        /** The backend answered with an error or broke the stream ({@code 502 upstream_error}). */
        UPSTREAM_ERROR,
        /** The backend did not answer in time ({@code 504 upstream_timeout}). */
        TIMEOUT,
        /** The backend rejected the request as invalid ({@code 400}); the message is safe to show. */
        REJECTED
    }

    private final Kind kind;

    public ModelBackendException(Kind kind, String safeMessage) {
        super(safeMessage, null, false, false);
        this.kind = kind;
    }

    public ModelBackendException(Kind kind, String safeMessage, Throwable cause) {
        super(safeMessage, cause, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
