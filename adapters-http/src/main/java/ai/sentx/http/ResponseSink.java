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
}
