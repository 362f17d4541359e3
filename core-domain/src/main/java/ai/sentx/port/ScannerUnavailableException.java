package ai.sentx.port;

/** The malware scanner gave no verdict (down, timed out, refused). The message is safe to log. */
public final class ScannerUnavailableException extends Exception {
    public ScannerUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    public ScannerUnavailableException(String message) {
        super(message);
    }
}
