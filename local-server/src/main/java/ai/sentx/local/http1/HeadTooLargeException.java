package ai.sentx.local.http1;

/** A request line or header section over the server's limit: answered 413, then the connection closes. */
final class HeadTooLargeException extends MalformedRequestException {
    HeadTooLargeException() {
        super("The request's header section is larger than the server accepts ("
                + RequestHead.MAX_HEAD_BYTES / 1024 + " KB).");
    }
}
