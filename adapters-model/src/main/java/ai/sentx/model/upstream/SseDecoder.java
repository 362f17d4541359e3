package ai.sentx.model.upstream;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Decodes a server-sent-event stream incrementally, as its bytes arrive in buffers of any size
 * (the WHATWG rules, restricted to what chat streams use): lines end with LF, CRLF or CR; a line
 * starting with {@code :} is a comment; {@code data:} lines (one optional space after the colon)
 * accumulate, joined by LF; a blank line dispatches the event's data; other fields ({@code event},
 * {@code id}, {@code retry}) are ignored. Text is handled as bytes until a whole line is known, so
 * a UTF-8 character split across buffers is never cut. An event the stream ends inside of is
 * dropped, as the specification says.
 *
 * <p>Not thread-safe: one decoder per stream, fed by one thread at a time.
 */
final class SseDecoder {
    /** Receives each event's data. The array is reused after the call returns. */
    interface Events {
        void data(byte[] bytes, int length) throws IOException;
    }

    private final int maxEventBytes;
    private byte[] line;
    private int lineLength;
    private byte[] data;
    private int dataLength;
    private boolean hasData;
    private boolean afterCr;
    /** For {@link #feed(ByteBuffer, Events)} only; made on its first use. */
    private byte[] scratch;

    /** @param maxEventBytes the longest line or event accepted; longer ones fail the stream */
    SseDecoder(int maxEventBytes) {
        this.maxEventBytes = maxEventBytes;
        this.line = new byte[Math.min(256, maxEventBytes)];
        this.data = new byte[Math.min(256, maxEventBytes)];
    }

    /**
     * Consumes all of {@code buffer}, reporting every event it completes.
     *
     * @throws IOException if a line or an event is longer than the limit, or {@code events} throws
     */
    void feed(ByteBuffer buffer, Events events) throws IOException {
        // Bulk copies: the HTTP client's buffers are read-only, so there is no array to scan in place.
        if (scratch == null && buffer.hasRemaining()) scratch = new byte[2048];
        while (buffer.hasRemaining()) {
            int n = Math.min(buffer.remaining(), scratch.length);
            buffer.get(scratch, 0, n);
            scan(scratch, 0, n, events);
        }
    }

    /**
     * Consumes {@code length} bytes of {@code bytes} from {@code offset}, in place, reporting every
     * event they complete.
     *
     * @throws IOException if a line or an event is longer than the limit, or {@code events} throws
     */
    void feed(byte[] bytes, int offset, int length, Events events) throws IOException {
        scan(bytes, offset, offset + length, events);
    }

    private void scan(byte[] bytes, int from, int n, Events events) throws IOException {
        int i = from;
        if (afterCr) {
            afterCr = false;
            if (n > from && bytes[from] == '\n') i = from + 1;
        }
        int lineStart = i;
        while ((i = Bytes.indexOfLineEnd(bytes, i, n)) >= 0) {
            byte b = bytes[i];
            if (lineLength == 0) {
                endOfLine(bytes, lineStart, i - lineStart, events); // the whole line is here: read in place
            } else {
                appendToLine(bytes, lineStart, i - lineStart);
                int length = lineLength;
                lineLength = 0;
                endOfLine(line, 0, length, events);
            }
            if (b == '\r') {
                if (i + 1 == n) afterCr = true;
                else if (bytes[i + 1] == '\n') i++;
            }
            lineStart = ++i;
        }
        appendToLine(bytes, lineStart, n - lineStart);
    }

    private void appendToLine(byte[] bytes, int from, int n) throws IOException {
        if (n == 0) return;
        if (lineLength + n > line.length) line = grow(line, lineLength + n);
        System.arraycopy(bytes, from, line, lineLength, n);
        lineLength += n;
    }

    /** A complete line: {@code length} bytes of {@code src} from {@code at}. */
    private void endOfLine(byte[] src, int at, int length, Events events) throws IOException {
        if (length == 0) {
            if (hasData) {
                hasData = false;
                int n = dataLength;
                dataLength = 0;
                events.data(data, n);
            }
            return;
        }
        if (src[at] == ':') return;
        boolean dataField = length >= 4 && src[at] == 'd' && src[at + 1] == 'a' && src[at + 2] == 't'
                && src[at + 3] == 'a';
        if (!dataField) return;
        if (length == 4) {
            appendData(src, at + 4, 0);
        } else if (src[at + 4] == ':') {
            int from = length > 5 && src[at + 5] == ' ' ? 6 : 5;
            appendData(src, at + from, length - from);
        }
    }

    private void appendData(byte[] src, int from, int n) throws IOException {
        int needed = dataLength + (hasData ? 1 : 0) + n;
        if (needed > maxEventBytes) throw tooLong();
        if (needed > data.length) data = grow(data, needed);
        if (hasData) data[dataLength++] = '\n';
        System.arraycopy(src, from, data, dataLength, n);
        dataLength += n;
        hasData = true;
    }

    private IOException tooLong() {
        return new IOException("a server-sent event is longer than " + maxEventBytes + " bytes");
    }

    private byte[] grow(byte[] array, int needed) throws IOException {
        if (needed > maxEventBytes) throw tooLong();
        return Arrays.copyOf(array, Math.min(maxEventBytes, Math.max(needed, array.length * 2)));
    }
}
