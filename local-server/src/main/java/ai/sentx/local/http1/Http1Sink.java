package ai.sentx.local.http1;

import ai.sentx.http.ResponseSink;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * One response on a connection. A body of known length goes out with {@code Content-Length}, its
 * head held back until the first write so that a small response is one socket write; a body of
 * unknown length (a stream) is chunked on HTTP/1.1 — its head is sent at once and every
 * {@link #write} becomes one chunk in one socket write — and ends with the connection on HTTP/1.0.
 */
final class Http1Sink implements ResponseSink {
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    /** Set by the transport, never passed through from a handler. */
    private static final List<String> OWN_HEADERS = List.of("content-length", "transfer-encoding", "connection", "date");

    private final OutputStream out;
    private final boolean http11;
    private final boolean head;
    private final HttpDate date;
    private boolean keepAlive;
    /** Asked at {@link #start}: whether the connection must end after this response (an unread body). */
    private final BooleanSupplier mustClose;
    private boolean started;
    private boolean closed;
    private boolean broken;
    private boolean chunked;
    /** Declared length, -1 for a stream. */
    private long length;
    private long written;
    /** The status line and headers not yet sent (a response of known length). */
    private byte[] pendingHead;

    Http1Sink(OutputStream out, boolean http11, boolean head, boolean keepAlive, HttpDate date,
              BooleanSupplier mustClose) {
        this.mustClose = mustClose;
        this.out = out;
        this.http11 = http11;
        this.head = head;
        this.keepAlive = keepAlive;
        this.date = date;
    }

    @Override
    public void start(int status, Map<String, List<String>> headers, long contentLength) throws IOException {
        if (started) throw new IllegalStateException("The response has started already.");
        boolean noBody = status == 204 || status == 304 || (status >= 100 && status < 200);
        length = noBody ? 0 : contentLength;
        if (length < 0 && !http11) keepAlive = false; // the end of the connection ends the body
        if (keepAlive && mustClose.getAsBoolean()) keepAlive = false; // said now, not discovered by the client
        chunked = length < 0 && http11;
        StringBuilder h = new StringBuilder(256);
        h.append(http11 ? "HTTP/1.1 " : "HTTP/1.0 ").append(status).append(' ').append(reason(status)).append("\r\n");
        h.append("date: ").append(date.now()).append("\r\n");
        for (Map.Entry<String, List<String>> e : headers.entrySet()) {
            String name = e.getKey();
            if (OWN_HEADERS.contains(name)) continue;
            for (String value : e.getValue()) {
                checkValue(name, value);
                h.append(name).append(": ").append(value).append("\r\n");
            }
        }
        if (chunked) {
            h.append("transfer-encoding: chunked\r\n");
        } else if (!noBody) {
            h.append("content-length: ").append(length < 0 ? 0 : length).append("\r\n");
        }
        if (!keepAlive) {
            h.append("connection: close\r\n");
        } else if (!http11) {
            h.append("connection: keep-alive\r\n"); // an HTTP/1.0 client assumes a close otherwise
        }
        h.append("\r\n");
        started = true;
        byte[] bytes = h.toString().getBytes(StandardCharsets.ISO_8859_1);
        if (length < 0) {
            // A stream: its head goes out now (the client learns the status before the first event).
            send(bytes);
        } else {
            pendingHead = bytes;
        }
    }

    @Override
    public void write(byte[] bytes) throws IOException {
        if (!started || closed) throw new IllegalStateException("Write outside a started, open response.");
        if (bytes.length == 0) return;
        if (length >= 0 && written + bytes.length > length) {
            broken = true;
            throw new IllegalStateException("More bytes than the declared Content-Length.");
        }
        written += bytes.length;
        if (head) {
            flushHead();
            return;
        }
        if (chunked) {
            byte[] size = (Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            byte[] chunk = new byte[size.length + bytes.length + 2];
            System.arraycopy(size, 0, chunk, 0, size.length);
            System.arraycopy(bytes, 0, chunk, size.length, bytes.length);
            System.arraycopy(CRLF, 0, chunk, size.length + bytes.length, 2);
            send(chunk);
        } else if (pendingHead != null && pendingHead.length + bytes.length <= 64 * 1024) {
            byte[] both = new byte[pendingHead.length + bytes.length];
            System.arraycopy(pendingHead, 0, both, 0, pendingHead.length);
            System.arraycopy(bytes, 0, both, pendingHead.length, bytes.length);
            pendingHead = null;
            send(both);
        } else {
            flushHead();
            send(bytes);
        }
    }

    @Override
    public void close() throws IOException {
        if (closed || !started) {
            closed = true;
            return;
        }
        closed = true;
        flushHead();
        if (length >= 0 && written < length && !head) {
            // Short of the declared length: only a dropped connection tells the client.
            broken = true;
            return;
        }
        if (chunked && !head) send(LAST_CHUNK);
    }

    @Override
    public boolean started() {
        return started;
    }

    /** Dropping the connection is the transport's abort: the connection ends after this. */
    @Override
    public void abort() {
        broken = true;
        closed = true;
    }

    /** Whether the response ended complete and the connection may carry another one. */
    boolean reusable() {
        return started && closed && !broken && keepAlive;
    }

    /** Whether the handler ended the response (or aborted it). */
    boolean finished() {
        return closed;
    }

    private void flushHead() throws IOException {
        if (pendingHead != null) {
            byte[] h = pendingHead;
            pendingHead = null;
            send(h);
        }
    }

    private void send(byte[] bytes) throws IOException {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            broken = true;
            throw e;
        }
    }

    /** A CR or LF in a value would end the header and start another (response splitting). */
    private static void checkValue(String name, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n' || c > 0xff) {
                throw new IllegalArgumentException("The value of response header " + name + " holds CR, LF or non-Latin-1.");
            }
        }
    }

    static String reason(int status) {
        return switch (status) {
            case 100 -> "Continue";
            case 200 -> "OK";
            case 201 -> "Created";
            case 204 -> "No Content";
            case 302 -> "Found";
            case 303 -> "See Other";
            case 304 -> "Not Modified";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 402 -> "Payment Required";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 409 -> "Conflict";
            case 413 -> "Content Too Large";
            case 422 -> "Unprocessable Content";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> "Status";
        };
    }
}
