package ai.sentx.port;

/**
 * The payment provider could not do what was asked. The message is safe to show: it never carries
 * a key, a secret or the provider's raw answer.
 */
public final class PaymentsException extends Exception {
    /** How it failed. */
    public enum Kind {
        /** This server has no provider credentials for the operation (no API key, no webhook secret). */
        NOT_CONFIGURED,
        /** The provider failed, refused the call, or did not answer in time; a later retry may work. */
        UNAVAILABLE
    }

    private final Kind kind;

    public PaymentsException(Kind kind, String safeMessage) {
        super(safeMessage, null, false, false);
        this.kind = kind;
    }

    public PaymentsException(Kind kind, String safeMessage, Throwable cause) {
        super(safeMessage, cause, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
