package ai.sentx.lambda.runtime;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A streamed answer to one invocation: {@code POST .../response} with
 * {@code Lambda-Runtime-Function-Response-Mode: streaming}, chunked, with the error trailers
 * declared up front. Each {@link #write} is one chunk, written in one call and flushed on a socket
 * with Nagle's algorithm off, so it leaves the process at once. The answer ends with
 * {@link #finish} or, when something broke after the first byte, {@link #fail}, which sends the
 * error in the trailers (the only way left once bytes have gone out).
 *
 * <p>Not thread-safe; the runtime serialises calls.
 */
public final class StreamingResponse implements AutoCloseable {
    /** Trailer naming the error type of a stream that failed after its first byte. */
    public static final String ERROR_TYPE_TRAILER = "Lambda-Runtime-Function-Error-Type";
    /** Trailer carrying base64 of {@code {errorType, errorMessage}}. */
    public static final String ERROR_BODY_TRAILER = "Lambda-Runtime-Function-Error-Body";

    private final Socket socket;
    private final OutputStream out;
    private boolean ended;

    private StreamingResponse(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
    }

    static StreamingResponse open(Socket socket, String hostHeader, String path, String contentType) throws IOException {
        StreamingResponse response = new StreamingResponse(socket);
        String head = "POST " + path + " HTTP/1.1\r\n"
                + "Host: " + hostHeader + "\r\n"
                + "Lambda-Runtime-Function-Response-Mode: streaming\r\n"
                + "Transfer-Encoding: chunked\r\n"
                + "Content-Type: " + contentType + "\r\n"
                + "Trailer: " + ERROR_TYPE_TRAILER + ", " + ERROR_BODY_TRAILER + "\r\n"
                + "Connection: close\r\n\r\n";
        response.out.write(head.getBytes(StandardCharsets.ISO_8859_1));
        response.out.flush();
        return response;
    }

    /** Sends {@code bytes} as one chunk and flushes it; an empty array sends nothing (it would end the body). */
    public void write(byte[] bytes) throws IOException {
        if (ended) throw new IOException("the response has ended");
        if (bytes.length == 0) return;
        byte[] size = (Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
        byte[] chunk = new byte[size.length + bytes.length + 2];
        System.arraycopy(size, 0, chunk, 0, size.length);
        System.arraycopy(bytes, 0, chunk, size.length, bytes.length);
        chunk[chunk.length - 2] = '\r';
        chunk[chunk.length - 1] = '\n';
        out.write(chunk);
        out.flush();
    }

    /** Ends the body normally and waits for the Runtime API's answer. */
    public void finish() throws IOException {
        end("0\r\n\r\n");
    }

    /**
     * Ends the body with the error trailers: Lambda records the invocation as failed, and the bytes
     * already sent stay sent.
     */
    public void fail(String errorType, String message) throws IOException {
        end("0\r\n" + ERROR_TYPE_TRAILER + ": " + headerSafe(errorType) + "\r\n"
                + ERROR_BODY_TRAILER + ": " + ErrorBody.base64(errorType, message) + "\r\n\r\n");
    }

    /** Whether {@link #finish} or {@link #fail} ran. */
    public boolean ended() {
        return ended;
    }

    private void end(String last) throws IOException {
        if (ended) return;
        ended = true;
        try {
            out.write(last.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            RuntimeApi.Response answer = RuntimeApi.Response.read(socket.getInputStream());
            if (answer.status() / 100 != 2) throw new IOException("the streamed response was answered " + answer.status());
        } finally {
            socket.close();
        }
    }

    /** Closes the connection; a response that was not ended is cut (Lambda reports it as failed). */
    @Override
    public void close() throws IOException {
        ended = true;
        socket.close();
    }

    private static String headerSafe(String value) {
        return value.replaceAll("[^\\x21-\\x7e]", "_");
    }
}
