package ai.sentx.local.http1;

import java.io.IOException;
import java.io.InputStream;

/**
 * A request's body as the handler reads it: exactly {@code Content-Length} bytes, or the decoded
 * chunks of a chunked body (RFC 9112 §7.1). Never reads past its end, so the next request on the
 * connection starts where this one stopped. A client that waits for {@code 100 Continue} gets it
 * on the first read, so a request refused before its body is read never invites the body.
 */
abstract sealed class RequestBody extends InputStream {
    /** Runs before the first byte of a body is read: sends {@code 100 Continue}. */
    @FunctionalInterface
    interface Invitation {
        void send() throws IOException;
    }

    private final Invitation beforeFirstRead;
    private boolean reading;
    /**
     * Set when the body broke the framing rules (a bad chunk): the client gets a 400, not silence,
     * every later read fails, and the connection is never used again.
     */
    boolean malformed;

    RequestBody(Invitation beforeFirstRead) {
        this.beforeFirstRead = beforeFirstRead;
    }

    static RequestBody of(RequestHead head, Http1Input in, Invitation beforeFirstRead) {
        return head.chunked() ? new Chunked(in, beforeFirstRead) : new Fixed(in, head.contentLength(), beforeFirstRead);
    }

    /** Whether every byte of the body has been read (the connection may serve the next request). */
    abstract boolean complete();

    final void begin() throws IOException {
        if (!reading) {
            reading = true;
            if (beforeFirstRead != null && !complete()) beforeFirstRead.send();
        }
    }

    /**
     * Whether what is left of the body could be read and dropped within {@code max} bytes so that
     * the connection serves another request: false for a client still waiting for an invitation
     * to send, or a declared rest over {@code max}. A chunked rest is unknown: assumed small.
     */
    final boolean mayBeSkipped(long max) {
        if (complete()) return true;
        if (!reading && beforeFirstRead != null) return false;
        return !(this instanceof Fixed f) || f.remaining <= max;
    }

    /**
     * Reads and drops what is left of the body, at most {@code max} bytes; returns whether the
     * body ended within them.
     */
    final boolean skipRest(long max) throws IOException {
        if (complete()) return true;
        // A client waiting for 100 Continue that never came will not send the body: nothing to skip.
        if (!reading && beforeFirstRead != null) return false;
        byte[] scratch = new byte[8192];
        long left = max;
        while (left > 0) {
            int n = read(scratch, 0, (int) Math.min(scratch.length, left));
            if (n < 0) return complete();
            left -= n;
        }
        return complete();
    }

    @Override
    public final int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    static final class Fixed extends RequestBody {
        private final Http1Input in;
        private long remaining;

        Fixed(Http1Input in, long length, Invitation beforeFirstRead) {
            super(beforeFirstRead);
            this.in = in;
            this.remaining = length;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining == 0) return -1;
            if (len == 0) return 0;
            begin();
            int n = in.read(b, off, (int) Math.min(len, remaining));
            if (n < 0) throw new IOException("The client closed the connection inside the request body.");
            remaining -= n;
            return n;
        }

        @Override
        public int available() {
            return 0;
        }

        @Override
        boolean complete() {
            return remaining == 0;
        }
    }

    static final class Chunked extends RequestBody {
        /** A chunk-size line (with extensions) or a trailer line at most. */
        private static final int MAX_LINE = 4096;
        /** Trailer lines at most. */
        private static final int MAX_TRAILERS = 64;
        private final Http1Input in;
        /** Bytes left in the current chunk; 0 between chunks. */
        private long left;
        private boolean done;
        private boolean first = true;

        Chunked(Http1Input in, Invitation beforeFirstRead) {
            super(beforeFirstRead);
            this.in = in;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (malformed) throw new MalformedRequestException("The chunked body broke its framing.");
            if (done) return -1;
            if (len == 0) return 0;
            begin();
            try {
                return readChunked(b, off, len);
            } catch (MalformedRequestException e) {
                malformed = true;
                throw e;
            }
        }

        private int readChunked(byte[] b, int off, int len) throws IOException {
            if (left == 0) {
                if (!first) crlf();
                first = false;
                left = chunkSize();
                if (left == 0) {
                    trailers();
                    done = true;
                    return -1;
                }
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n < 0) throw new IOException("The client closed the connection inside a chunk.");
            left -= n;
            return n;
        }

        private void crlf() throws IOException {
            String line = in.readLine(0, true);
            if (line == null) throw new IOException("The client closed the connection inside a chunk.");
        }

        private long chunkSize() throws IOException {
            String line = in.readLine(MAX_LINE, true);
            if (line == null) throw new IOException("The client closed the connection before the last chunk.");
            int end = line.indexOf(';');
            String hex = RequestHead.trimOws(end < 0 ? line : line.substring(0, end));
            if (hex.isEmpty() || hex.length() > 15) throw new MalformedRequestException("A chunk size is not hexadecimal.");
            long size = 0;
            for (int i = 0; i < hex.length(); i++) {
                int d = Character.digit(hex.charAt(i), 16);
                if (d < 0) throw new MalformedRequestException("A chunk size is not hexadecimal.");
                size = size * 16 + d;
            }
            return size;
        }

        /** Trailer fields are read and dropped: nothing here uses them. */
        private void trailers() throws IOException {
            for (int i = 0; ; i++) {
                String line = in.readLine(MAX_LINE, true);
                if (line == null) throw new IOException("The client closed the connection inside the trailers.");
                if (line.isEmpty()) return;
                if (i >= MAX_TRAILERS) throw new HeadTooLargeException();
            }
        }

        @Override
        boolean complete() {
            return done;
        }
    }
}
