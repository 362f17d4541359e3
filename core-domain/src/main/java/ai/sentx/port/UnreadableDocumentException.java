package ai.sentx.port;

/** A document could not be read within the reader's bounds. The message is safe to show the client. */
public final class UnreadableDocumentException extends Exception {
    public UnreadableDocumentException(String safeMessage, Throwable cause) {
        super(safeMessage, cause);
    }

    public UnreadableDocumentException(String safeMessage) {
        super(safeMessage);
    }
}
