package ai.sentx.http;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Where a response goes, implemented in a few lines by each transport. {@link #start} once, then
 * {@link #write} any number of times (each write reaches the client at once: no buffering), then
 * {@link #close}. An {@link IOException} means the client is gone.
 */
public interface ResponseSink {
    /**
     * Sends the status line and headers.
     *
     * @param contentLength the body's exact length, or -1 for a streamed body of unknown length
     */
    void start(int status, Map<String, List<String>> headers, long contentLength) throws IOException;

    /** Writes and flushes {@code bytes}. */
    void write(byte[] bytes) throws IOException;

    /** Ends the response. */
    void close() throws IOException;

    /** Whether {@link #start} was called. */
    boolean started();

    /**
     * Ends a started response as failed, when its body cannot be completed (a download whose
     * source broke): the client must see an error, not a short body that looks complete. By
     * default the connection is closed early, which a declared length makes visible; a transport
     * that can say more (Lambda's error trailers) overrides this.
     */
    default void abort() {
        try {
            close();
        } catch (IOException | RuntimeException ignored) {
            // Closing short of the declared length is the signal itself.
        }
    }
}
