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
     * Reads one line, without its terminator: CRLF, or a bare LF when {@code crlfOnly} is false
     * (RFC 9112 §2.2 lets a recipient accept it in the head). Returns {@code null} at the end of the
     * stream before any byte of the line.
     *
     * @param max the most bytes the line may have, its terminator not counted; more →
     *            {@link HeadTooLargeException}
     */
    String readLine(int max, boolean crlfOnly) throws IOException {
        StringBuilder spill = null;
        int total = 0;
        while (true) {
            if (pos == limit && !fill()) {
                if (spill == null) return null;
                throw new MalformedRequestException("The connection closed inside a line.");
            }
            int start = pos;
            for (int i = pos; i < limit; i++) {
                if (buf[i] == '\n') {
                    pos = i + 1;
                    String line;
                    if (spill == null) {
                        boolean cr = i > start && buf[i - 1] == '\r';
                        if (!cr && crlfOnly) throw new MalformedRequestException("A line ends with a bare LF.");
                        line = new String(buf, start, i - start - (cr ? 1 : 0), StandardCharsets.ISO_8859_1);
                    } else {
                        // The CR may have ended the previous read: look at the whole line.
                        spill.append(new String(buf, start, i - start, StandardCharsets.ISO_8859_1));
                        int n = spill.length();
                        boolean cr = n > 0 && spill.charAt(n - 1) == '\r';
                        if (!cr && crlfOnly) throw new MalformedRequestException("A line ends with a bare LF.");
                        if (cr) spill.setLength(n - 1);
                        line = spill.toString();
                    }
                    if (line.length() > max) throw new HeadTooLargeException();
                    return checked(line);
                }
            }
            total += limit - start;
            if (total > max + 1) throw new HeadTooLargeException(); // + 1: a CR whose LF is still to come
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
