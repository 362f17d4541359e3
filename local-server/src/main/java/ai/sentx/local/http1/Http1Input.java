package ai.sentx.local.http1;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The buffered bytes of one connection: the request head is read line by line from the buffer and
 * bodies are served from what is left in it before the socket is read again, so pipelined requests
 * and a body's first bytes that arrived with the head are never lost.
 */
final class Http1Input {
    private final InputStream in;
    private final byte[] buf;
    private int pos;
    private int limit;

    Http1Input(InputStream in, int bufferSize) {
        this.in = in;
        this.buf = new byte[bufferSize];
    }

    /**
     * Reads one line, without its terminator (CRLF, or a bare LF: RFC 9112 §2.2 lets a recipient
     * accept it). Returns {@code null} at the end of the stream before any byte of the line.
     *
     * @param max the most bytes the line may have; more → {@link HeadTooLargeException}
     */
    String readLine(int max) throws IOException {
        StringBuilder spill = null;
        int total = 0;
        while (true) {
            if (pos == limit && !fill()) {
                if (spill == null && total == 0) return null;
                throw new MalformedRequestException("The connection closed inside the request head.");
            }
            int start = pos;
            for (int i = pos; i < limit; i++) {
                if (buf[i] == '\n') {
                    int end = i;
                    if (end > start && buf[end - 1] == '\r') end--;
                    pos = i + 1;
                    total += end - start;
                    if (total > max) throw new HeadTooLargeException();
                    String tail = new String(buf, start, end - start, StandardCharsets.ISO_8859_1);
                    if (spill == null) return checked(tail);
                    spill.append(tail);
                    // A CR that ended the previous buffer belongs to this terminator.
                    int n = spill.length();
                    if (end == start && n > 0 && spill.charAt(n - 1) == '\r') spill.setLength(n - 1);
                    return checked(spill.toString());
                }
            }
            total += limit - start;
            if (total > max + 1) throw new HeadTooLargeException();
            if (spill == null) spill = new StringBuilder(Math.max(64, 2 * (limit - start)));
            spill.append(new String(buf, start, limit - start, StandardCharsets.ISO_8859_1));
            pos = limit;
        }
    }

    /** A CR inside a line is not a terminator and not allowed (it is how responses get split). */
    private static String checked(String line) throws MalformedRequestException {
        if (line.indexOf('\r') >= 0) throw new MalformedRequestException("A bare CR in the request head.");
        return line;
    }

    /** Reads up to {@code len} bytes: what is buffered first, else straight from the socket. */
    int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) return 0;
        if (pos < limit) {
            int n = Math.min(len, limit - pos);
            System.arraycopy(buf, pos, b, off, n);
            pos += n;
            return n;
        }
        if (len >= buf.length) return in.read(b, off, len);
        if (!fill()) return -1;
        return read(b, off, len);
    }

    /** Reads one byte, or -1 at the end of the stream. */
    int read() throws IOException {
        if (pos == limit && !fill()) return -1;
        return buf[pos++] & 0xff;
    }

    /** Whether bytes of a next (pipelined) request are already buffered. */
    boolean hasBuffered() {
        return pos < limit;
    }

    private boolean fill() throws IOException {
        int n = in.read(buf, 0, buf.length);
        if (n <= 0) return false;
        pos = 0;
        limit = n;
        return true;
    }
}
