package ai.sentx.model.upstream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A lean HTTP/1.1 client for one plain-{@code http} origin, made for the upstream relay's hot path:
 * {@code POST} only, over a pool of keep-alive sockets with {@code TCP_NODELAY}, the request written
 * with one {@code write}, the status line and headers parsed from one buffer, the body read
 * incrementally ({@code chunked}, {@code Content-Length}, or until the server closes) on the
 * caller's own thread. Blocking I/O with per-read timeouts; on a virtual thread that costs no
 * platform thread. Compared with {@link java.net.http.HttpClient} it has no selector thread, no
 * hand-off between threads and no reactive-streams plumbing per response (measured in
 * {@code bench/upstream-overhead.sh}).
 *
 * <p><b>Keep-alive.</b> A {@link Response} whose body was read to its end is given back with
 * {@link Response#release()}; its connection then serves a later request unless the server said
 * {@code Connection: close}, sent more than the body, or the pool already holds {@value #MAX_IDLE}
 * idle connections. An idle connection is dropped after the server's {@code Keep-Alive: timeout}
 * (less a second) or {@value #DEFAULT_IDLE_SECONDS} s. A reused connection that fails before the
 * first byte of the answer (the server had closed it meanwhile) is retried at once on a new
 * connection: such a request never reached the server's application.
 *
 * <p><b>Cancellation.</b> {@link Response#abort()} closes the socket, from any thread: a blocked
 * read ends at once and the server sees its connection close.
 *
 * <p>Thread-safe; each {@link Response} is read by one thread at a time.
 */
final class Http1Client implements AutoCloseable {
    /** The most idle connections kept. */
    static final int MAX_IDLE = 256;
    static final int DEFAULT_IDLE_SECONDS = 30;
    /** The largest response head (status line and headers) accepted; also the read buffer's size. */
    static final int BUFFER_BYTES = 16 * 1024;

    private final String host;
    private final int port;
    private final int connectTimeoutMillis;
    private final byte[] headPrefix;
    private final ConcurrentLinkedDeque<Connection> idle = new ConcurrentLinkedDeque<>();
    /** About how many connections {@link #idle} holds (its size() walks the whole deque). */
    private final AtomicInteger idleCount = new AtomicInteger();
    private volatile boolean closed;

    /**
     * @param endpoint       where requests go: an {@code http} URI with a host
     * @param connectTimeout the longest a TCP connect may take
     * @param extraHeaders   header lines sent with every request, each {@code "Name: value"} (no CR or LF)
     * @throws IllegalArgumentException if {@code endpoint} is not a plain {@code http} URI with a host,
     *                                  or a header line holds CR or LF
     */
    Http1Client(URI endpoint, Duration connectTimeout, String... extraHeaders) {
        Objects.requireNonNull(endpoint, "endpoint");
        if (!"http".equalsIgnoreCase(endpoint.getScheme()) || endpoint.getHost() == null) {
            throw new IllegalArgumentException("Http1Client speaks plain http to a host only");
        }
        this.host = endpoint.getHost();
        this.port = endpoint.getPort() < 0 ? 80 : endpoint.getPort();
        this.connectTimeoutMillis = (int) Math.clamp(connectTimeout.toMillis(), 1, Integer.MAX_VALUE);
        String path = endpoint.getRawPath() == null || endpoint.getRawPath().isEmpty() ? "/" : endpoint.getRawPath();
        if (endpoint.getRawQuery() != null) path += "?" + endpoint.getRawQuery();
        String hostHeader = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        StringBuilder head = new StringBuilder(256)
                .append("POST ").append(path).append(" HTTP/1.1\r\nHost: ").append(hostHeader);
        if (endpoint.getPort() >= 0) head.append(':').append(port);
        head.append("\r\n");
        for (String line : extraHeaders) {
            if (line.indexOf('\r') >= 0 || line.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("a header line holds CR or LF");
            }
            head.append(line).append("\r\n");
        }
        head.append("Content-Length: ");
        this.headPrefix = head.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * Sends {@code body} and reads the answer's status line and headers.
     *
     * @param headDeadline when the head must have arrived ({@link System#nanoTime})
     * @return the response, its body not read yet
     * @throws HttpConnectTimeoutException if a new connection took longer than the connect timeout
     * @throws HttpTimeoutException        if the head did not arrive by {@code headDeadline}
     * @throws IOException                 if the connection failed otherwise
     */
    Response post(byte[] body, long headDeadline) throws IOException {
        byte[] request = request(body);
        for (Connection c = pooled(); c != null; c = pooled()) {
            try {
                return c.exchange(request, headDeadline, true);
            } catch (StaleConnection stale) {
                c.close();
            } catch (IOException | RuntimeException e) {
                c.close();
                throw e;
            }
        }
        Connection fresh = connect();
        try {
            return fresh.exchange(request, headDeadline, false);
        } catch (IOException | RuntimeException e) {
            fresh.close();
            throw e;
        }
    }

    /** How many idle connections the pool holds (tests). */
    int idleConnections() {
        return idle.size();
    }

    /** Closes the idle connections; responses still being read close theirs when released. */
    @Override
    public void close() {
        closed = true;
        for (Connection c; (c = idle.pollFirst()) != null; ) {
            idleCount.decrementAndGet();
            c.close();
        }
    }

    private byte[] request(byte[] body) {
        byte[] length = (body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        byte[] request = new byte[headPrefix.length + length.length + body.length];
        System.arraycopy(headPrefix, 0, request, 0, headPrefix.length);
        System.arraycopy(length, 0, request, headPrefix.length, length.length);
        System.arraycopy(body, 0, request, headPrefix.length + length.length, body.length);
        return request;
    }

    private Connection pooled() {
        long now = System.nanoTime();
        for (Connection c; (c = idle.pollFirst()) != null; ) {
            idleCount.decrementAndGet();
            if (now - c.idleUntil < 0) return c;
            c.close();
        }
        return null;
    }

    private Connection connect() throws IOException {
        if (closed) throw new IOException("the client is closed");
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), connectTimeoutMillis);
        } catch (SocketTimeoutException e) {
            socket.close();
            throw new HttpConnectTimeoutException("connect timed out");
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
        return new Connection(socket);
    }

    private void giveBack(Connection c) {
        if (closed || idleCount.get() >= MAX_IDLE) {
            c.close();
            return;
        }
        c.idleUntil = System.nanoTime() + c.keepAliveNanos;
        idle.offerFirst(c);
        idleCount.incrementAndGet();
        if (closed && idle.remove(c)) {
            idleCount.decrementAndGet();
            c.close();
        }
    }

    /** A reused connection failed before any byte of the answer: send again on a new one. */
    private static final class StaleConnection extends IOException {
        StaleConnection(Throwable cause) {
            super("the pooled connection was closed by the server", cause);
        }
    }

    /** One socket, its streams and its read buffer. */
    private final class Connection {
        final Socket socket;
        final InputStream in;
        final OutputStream out;
        final byte[] buf = new byte[BUFFER_BYTES];
        int pos;
        int limit;
        int timeoutMillis = -1;
        long keepAliveNanos = TimeUnit.SECONDS.toNanos(DEFAULT_IDLE_SECONDS);
        long idleUntil;
        final AtomicBoolean closed = new AtomicBoolean();

        Connection(Socket socket) throws IOException {
            this.socket = socket;
            this.in = socket.getInputStream();
            this.out = socket.getOutputStream();
        }

        Response exchange(byte[] request, long headDeadline, boolean reused) throws IOException {
            pos = 0;
            limit = 0;
            try {
                out.write(request);
            } catch (IOException e) {
                if (reused) throw new StaleConnection(e);
                throw e;
            }
            while (true) {
                Response r = readHead(headDeadline, reused);
                if (r != null) return r;
                reused = false; // a 1xx answer: the connection is alive
            }
        }

        /** Reads one response head; {@code null} for an interim (1xx) answer, which is skipped. */
        private Response readHead(long deadline, boolean reused) throws IOException {
            int end;
            while ((end = headEnd()) < 0) {
                if (limit == buf.length) throw new IOException("the response head is larger than " + buf.length + " bytes");
                long left = deadline - System.nanoTime();
                if (left <= 0) throw new HttpTimeoutException("no response head in time");
                int n;
                try {
                    n = fill((int) Math.clamp(TimeUnit.NANOSECONDS.toMillis(left) + 1, 1, Integer.MAX_VALUE));
                } catch (SocketTimeoutException e) {
                    continue;
                } catch (IOException e) {
                    if (reused && limit == 0) throw new StaleConnection(e);
                    throw e;
                }
                if (n < 0) {
                    if (reused && limit == 0) throw new StaleConnection(null);
                    throw new IOException("the server closed the connection before answering");
                }
            }
            Response r = parseHead(end);
            pos = end;
            return r;
        }

        /** The index just past the blank line that ends the head in the buffer, or -1. */
        private int headEnd() {
            for (int i = pos; i < limit; i++) {
                if (buf[i] != '\n') continue;
                if (i + 1 < limit && buf[i + 1] == '\n') return i + 2;
                if (i + 2 < limit && buf[i + 1] == '\r' && buf[i + 2] == '\n') return i + 3;
            }
            return -1;
        }

        private Response parseHead(int end) throws IOException {
            int lineStart = pos;
            int lineEnd = lineEnd(lineStart, end);
            String statusLine = new String(buf, lineStart, lineEnd - lineStart, StandardCharsets.ISO_8859_1);
            if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12 || statusLine.charAt(8) != ' ') {
                throw new IOException("not an HTTP/1.x response");
            }
            int status;
            try {
                status = Integer.parseInt(statusLine.substring(9, 12));
            } catch (NumberFormatException e) {
                throw new IOException("a malformed status line");
            }
            boolean http10 = statusLine.charAt(7) == '0';
            long contentLength = -1;
            boolean chunked = false;
            Boolean keepAlive = null;
            long keepAliveNanos = TimeUnit.SECONDS.toNanos(DEFAULT_IDLE_SECONDS);
            int i = next(lineEnd, end);
            while (i < end) {
                int e = lineEnd(i, end);
                if (e == i) break;
                int colon = indexOf(':', i, e);
                String name = colon > i ? knownHeader(i, colon) : null;
                if (name != null) {
                    String value = new String(buf, colon + 1, e - colon - 1, StandardCharsets.ISO_8859_1).strip();
                    switch (name) {
                        case "content-length" -> {
                            try {
                                contentLength = Long.parseLong(value);
                            } catch (NumberFormatException x) {
                                throw new IOException("a malformed Content-Length");
                            }
                            if (contentLength < 0) throw new IOException("a negative Content-Length");
                        }
                        case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).endsWith("chunked");
                        case "connection" -> {
                            String v = value.toLowerCase(Locale.ROOT);
                            if (v.contains("close")) keepAlive = false;
                            else if (v.contains("keep-alive") && keepAlive == null) keepAlive = true;
                        }
                        case "keep-alive" -> keepAliveNanos = keepAliveTimeout(value, keepAliveNanos);
                        default -> {
                        }
                    }
                }
                i = next(e, end);
            }
            if (status >= 100 && status < 200 && status != 101) {
                pos = end;
                return null;
            }
            this.keepAliveNanos = keepAliveNanos;
            boolean reusable = keepAlive != null ? keepAlive : !http10;
            Framing framing = status == 204 || status == 304 ? Framing.NONE
                    : chunked ? Framing.CHUNKED
                    : contentLength >= 0 ? Framing.LENGTH
                    : Framing.UNTIL_CLOSE;
            return new Response(this, status, framing, contentLength, reusable && framing != Framing.UNTIL_CLOSE);
        }

        /**
         * Which of the headers the client reads the name in {@code buf[from..to)} is, as
         * {@code strip().toLowerCase(Locale.ROOT)} of its ISO-8859-1 text would say; {@code null} for
         * any other (without making strings of every header of every answer).
         */
        private String knownHeader(int from, int to) {
            while (from < to && Character.isWhitespace((char) (buf[from] & 0xFF))) from++;
            while (to > from && Character.isWhitespace((char) (buf[to - 1] & 0xFF))) to--;
            for (String known : KNOWN_HEADERS) {
                if (known.length() == to - from && sameIgnoringAsciiCase(from, known)) return known;
            }
            return null;
        }

        /** Whether {@code buf} from {@code from} holds {@code lower} (lower-case ASCII), A-Z matching a-z. */
        private boolean sameIgnoringAsciiCase(int from, String lower) {
            for (int k = 0; k < lower.length(); k++) {
                int b = buf[from + k];
                if (b >= 'A' && b <= 'Z') b += 'a' - 'A';
                if (b != lower.charAt(k)) return false;
            }
            return true;
        }

        private static long keepAliveTimeout(String value, long otherwise) {
            int at = value.toLowerCase(Locale.ROOT).indexOf("timeout=");
            if (at < 0) return otherwise;
            int from = at + 8;
            int to = from;
            while (to < value.length() && Character.isDigit(value.charAt(to))) to++;
            if (to == from || to - from > 9) return otherwise;
            long seconds = Long.parseLong(value, from, to, 10);
            // A second less than the server's: never send on a connection it is about to close.
            return seconds <= 1 ? 0 : TimeUnit.SECONDS.toNanos(Math.min(seconds - 1, DEFAULT_IDLE_SECONDS));
        }

        private int lineEnd(int from, int end) {
            int i = from;
            while (i < end && buf[i] != '\n') i++;
            return i > from && buf[i - 1] == '\r' ? i - 1 : i;
        }

        private int next(int lineEnd, int end) {
            int i = lineEnd;
            if (i < end && buf[i] == '\r') i++;
            return i < end ? i + 1 : end;
        }

        private int indexOf(char c, int from, int to) {
            for (int i = from; i < to; i++) if (buf[i] == c) return i;
            return -1;
        }

        /**
         * Reads more bytes after {@code limit}, compacting first if needed.
         *
         * @return bytes read, or -1 at the end of the stream
         * @throws SocketTimeoutException if none came within {@code timeoutMillis}
         */
        int fill(int timeoutMillis) throws IOException {
            if (pos == limit) {
                pos = 0;
                limit = 0;
            } else if (limit == buf.length && pos > 0) {
                System.arraycopy(buf, pos, buf, 0, limit - pos);
                limit -= pos;
                pos = 0;
            }
            if (limit == buf.length) throw new IOException("a line of the response is longer than " + buf.length + " bytes");
            if (timeoutMillis != this.timeoutMillis) {
                socket.setSoTimeout(timeoutMillis);
                this.timeoutMillis = timeoutMillis;
            }
            int n = in.read(buf, limit, buf.length - limit);
            if (n > 0) limit += n;
            return n;
        }

        void close() {
            if (!closed.compareAndSet(false, true)) return;
            try {
                socket.close();
            } catch (IOException ignored) {
                // Closing is all that was wanted.
            }
        }
    }

    private enum Framing { NONE, LENGTH, CHUNKED, UNTIL_CLOSE }

    /** The response headers the client reads (lower case); the others are skipped. */
    private static final String[] KNOWN_HEADERS = {"content-length", "transfer-encoding", "connection", "keep-alive"};

    /**
     * One response: its status, then its body read piece by piece with {@link #read}, then
     * {@link #release} (the connection goes back to the pool if the body was read to its end) or
     * {@link #abort} (the connection is closed).
     */
    final class Response {
        private static final int SIZE = 0;
        private static final int DATA = 1;
        private static final int DATA_END = 2;
        private static final int TRAILERS = 3;
        private static final int DONE = 4;

        private final Connection connection;
        private final int status;
        private final Framing framing;
        private final boolean reusable;
        private final AtomicBoolean settled = new AtomicBoolean();
        private long remaining;
        private int state;
        private int offset;

        Response(Connection connection, int status, Framing framing, long contentLength, boolean reusable) {
            this.connection = connection;
            this.status = status;
            this.framing = framing;
            this.reusable = reusable;
            this.remaining = framing == Framing.LENGTH ? contentLength : 0;
            this.state = framing == Framing.NONE || (framing == Framing.LENGTH && contentLength == 0) ? DONE
                    : framing == Framing.CHUNKED ? SIZE : DATA;
        }

        int status() {
            return status;
        }

        /** Where the bytes of the last {@link #read} start in {@link #array()}. */
        int offset() {
            return offset;
        }

        /** The buffer the last {@link #read} left its bytes in; valid until the next call. */
        byte[] array() {
            return connection.buf;
        }

        /** Whether the body was read to its end. */
        boolean finished() {
            return state == DONE;
        }

        /**
         * Reads the next piece of the body, waiting at most {@code timeoutMillis} for bytes.
         *
         * @return how many body bytes are at {@link #array()} from {@link #offset()} (at least 1),
         *         or -1 at the end of the body
         * @throws SocketTimeoutException if no byte came in time (the response stays readable)
         * @throws IOException            if the connection broke or the framing is invalid
         */
        int read(int timeoutMillis) throws IOException {
            return read(timeoutMillis, true);
        }

        /**
         * Consumes the rest of the body if it is already buffered, without blocking.
         *
         * @return whether the body is now read to its end
         */
        boolean finishFromBuffer() throws IOException {
            while (true) {
                int n = read(0, false);
                if (n == -1) return true;
                if (n == -2) return false;
            }
        }

        /** Reads and drops the rest of the body, each read waiting at most {@code timeoutMillis}. */
        void drain(int timeoutMillis) throws IOException {
            while (read(timeoutMillis, true) >= 0) {
                // Dropped.
            }
        }

        /** Reads up to {@code max} bytes of the body (an error body), each read waiting at most {@code timeoutMillis}. */
        byte[] readUpTo(int max, int timeoutMillis) throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            while (bytes.size() < max) {
                int n = read(timeoutMillis, true);
                if (n < 0) break;
                bytes.write(connection.buf, offset, Math.min(n, max - bytes.size()));
            }
            return bytes.toByteArray();
        }

        /** Gives the connection back to the pool if the body was read to its end and it may be reused, else closes it. */
        void release() {
            if (!settled.compareAndSet(false, true)) return;
            if (state == DONE && reusable && connection.pos == connection.limit && !connection.closed.get()) {
                giveBack(connection);
            } else {
                connection.close();
            }
        }

        /** Closes the connection (from any thread): a read blocked on it ends with an exception. */
        void abort() {
            if (settled.compareAndSet(false, true)) connection.close();
        }

        /** -2: would block (only when {@code mayBlock} is false). */
        private int read(int timeoutMillis, boolean mayBlock) throws IOException {
            Connection c = connection;
            while (true) {
                switch (state) {
                    case DONE -> {
                        return -1;
                    }
                    case DATA -> {
                        if (c.pos == c.limit) {
                            if (!mayBlock) return -2;
                            if (c.fill(timeoutMillis) < 0) {
                                if (framing == Framing.UNTIL_CLOSE) {
                                    state = DONE;
                                    return -1;
                                }
                                throw new IOException("the server closed the connection mid-body");
                            }
                            continue;
                        }
                        int n = c.limit - c.pos;
                        if (framing != Framing.UNTIL_CLOSE && n > remaining) n = (int) remaining;
                        offset = c.pos;
                        c.pos += n;
                        if (framing != Framing.UNTIL_CLOSE) {
                            remaining -= n;
                            if (remaining == 0) state = framing == Framing.CHUNKED ? DATA_END : DONE;
                        }
                        return n;
                    }
                    default -> {
                        // SIZE, DATA_END, TRAILERS: one line at a time.
                        int eol = -1;
                        for (int i = c.pos; i < c.limit; i++) {
                            if (c.buf[i] == '\n') {
                                eol = i;
                                break;
                            }
                        }
                        if (eol < 0) {
                            if (!mayBlock) return -2;
                            if (c.fill(timeoutMillis) < 0) throw new IOException("the server closed the connection mid-body");
                            continue;
                        }
                        int lineEnd = eol > c.pos && c.buf[eol - 1] == '\r' ? eol - 1 : eol;
                        int from = c.pos;
                        c.pos = eol + 1;
                        line(c.buf, from, lineEnd);
                    }
                }
            }
        }

        private void line(byte[] b, int from, int to) throws IOException {
            switch (state) {
                case SIZE -> {
                    long size = 0;
                    int digits = 0;
                    int i = from;
                    for (; i < to; i++) {
                        int d = Character.digit(b[i], 16);
                        if (d < 0) break;
                        if (++digits > 15) throw new IOException("a chunk size is too large");
                        size = size * 16 + d;
                    }
                    if (digits == 0 || (i < to && b[i] != ';' && b[i] != ' ' && b[i] != '\t')) {
                        throw new IOException("a malformed chunk size");
                    }
                    remaining = size;
                    state = size == 0 ? TRAILERS : DATA;
                }
                case DATA_END -> {
                    if (to != from) throw new IOException("a chunk is longer than its size");
                    state = SIZE;
                }
                case TRAILERS -> {
                    if (to == from) state = DONE;
                }
                default -> throw new IllegalStateException("no line expected in state " + state);
            }
        }
    }
}
