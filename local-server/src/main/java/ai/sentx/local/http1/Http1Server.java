package ai.sentx.local.http1;

import ai.sentx.http.HttpRequest;
import ai.sentx.http.ResponseSink;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * An HTTP/1.1 server (RFC 9112) on blocking sockets and a virtual thread per connection: keep-alive,
 * pipelining, chunked and {@code Content-Length} bodies both ways, {@code Expect: 100-continue},
 * HEAD, HTTP/1.0 clients. It exists because the JDK's {@code com.sun.net.httpserver} spent a fifth
 * of the gateway's CPU per request (a selector thread handing each exchange to the executor, the
 * head and body in separate writes, header maps copied twice); here a request costs one read and
 * a small response one write.
 *
 * <p>A request it cannot parse gets the error envelope (400, or 413 for an oversized head) and the
 * connection closes; everything else goes to the {@link Handler}.
 */
public final class Http1Server implements AutoCloseable {
    /** Serves one request to its end (never throws for anything the client sent). */
    @FunctionalInterface
    public interface Handler {
        void handle(HttpRequest request, ResponseSink sink);
    }

    /**
     * A connection idle this long between requests (or stalled inside one) is closed. Longer than
     * an AWS load balancer's 60 s idle timeout, as AWS advises for targets: otherwise the server
     * may close a connection the balancer is just reusing, and the client gets a 502.
     */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(75);
    /** What is read and dropped of a body the handler left unread before the connection is given up. */
    private static final long DRAIN_LIMIT = 256 * 1024;
    /** How long, and how much, a closing connection reads and drops of a body nobody reads. */
    private static final int LINGER_MILLIS = 2_000;
    private static final long LINGER_MAX_BYTES = 32L * 1024 * 1024;
    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final System.Logger LOG = System.getLogger(Http1Server.class.getName());

    private final ServerSocket listener;
    private final Handler handler;
    private final HttpDate date;
    private final int idleTimeoutMillis;
    /** Open connections and what each is blocked in, for {@link #close} and the watchdog. */
    private final Map<Socket, Watch> open = new ConcurrentHashMap<>();
    private final ScheduledExecutorService watchdog;
    private final Thread acceptor;
    private volatile boolean closing;

    private Http1Server(ServerSocket listener, Handler handler, Clock clock, Duration idleTimeout) {
        this.listener = listener;
        this.handler = handler;
        this.date = new HttpDate(clock);
        this.idleTimeoutMillis = Math.toIntExact(idleTimeout.toMillis());
        // A platform thread that is not a daemon keeps the process alive while the server runs.
        this.acceptor = Thread.ofPlatform().name("http-acceptor").unstarted(this::acceptLoop);
        this.watchdog = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("http-watchdog").daemon().factory());
        long period = Math.max(10, Math.min(1_000, idleTimeoutMillis / 2));
        watchdog.scheduleWithFixedDelay(this::closeStalled, period, period, TimeUnit.MILLISECONDS);
    }

    /**
     * What a connection's thread is blocked in, when it may not last: a socket timeout bounds each
     * read, but neither a head sent a byte a minute (slowloris) nor a write to a client that stopped
     * reading (its stream would hold its balance hold and stream slot for ever, unbilled). The
     * watchdog closes the socket of a head not complete within two idle timeouts and of a write
     * blocked for one; the blocked thread then fails like any client that left.
     */
    static final class Watch {
        private volatile long since;
        private volatile long limitNanos;

        void begin(long limit) {
            limitNanos = limit;
            since = System.nanoTime();
        }

        void end() {
            since = 0;
        }

        boolean overdue(long now) {
            long s = since;
            return s != 0 && now - s > limitNanos;
        }
    }

    private void closeStalled() {
        long now = System.nanoTime();
        open.forEach((socket, watch) -> {
            if (watch.overdue(now)) {
                LOG.log(System.Logger.Level.DEBUG, "closing a stalled connection");
                closeQuietly(socket);
            }
        });
    }

    /** Listens on {@code host:port} (port 0: any free port) and starts accepting connections. */
    public static Http1Server start(String host, int port, Handler handler, Clock clock, Duration idleTimeout)
            throws IOException {
        ServerSocket listener = new ServerSocket();
        try {
            listener.setReuseAddress(true);
            listener.bind(new InetSocketAddress(InetAddress.getByName(host), port), 1024);
        } catch (IOException | RuntimeException e) {
            listener.close();
            throw e;
        }
        Http1Server server = new Http1Server(listener, handler, clock, idleTimeout);
        server.acceptor.start();
        return server;
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** Stops accepting and closes every open connection (requests in flight end with their sockets). */
    @Override
    public void close() {
        closing = true;
        try {
            listener.close();
        } catch (IOException ignored) {
            // Closing is all that is asked.
        }
        watchdog.shutdownNow();
        for (Socket s : open.keySet()) closeQuietly(s);
        try {
            acceptor.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void acceptLoop() {
        while (!closing) {
            Socket socket;
            try {
                socket = listener.accept();
            } catch (IOException e) {
                if (closing) return;
                // Out of file descriptors, most likely: back off instead of spinning.
                LOG.log(System.Logger.Level.WARNING, "accept failed: " + e.getClass().getSimpleName());
                sleepQuietly();
                continue;
            }
            open.put(socket, new Watch());
            if (closing) {
                open.remove(socket);
                closeQuietly(socket);
                return;
            }
            Thread.ofVirtual().start(() -> serve(socket));
        }
    }

    /** Serves the requests of one connection, one after the other, until either side ends it. */
    private void serve(Socket socket) {
        try (socket) {
            socket.setTcpNoDelay(true); // each SSE event is its own small write: never hold it back
            socket.setSoTimeout(idleTimeoutMillis);
            Http1Input in = new Http1Input(socket.getInputStream(), 16 * 1024);
            OutputStream out = socket.getOutputStream();
            Watch watch = open.get(socket);
            if (watch == null) return; // closed meanwhile
            while (serveOne(socket, watch, in, out)) {
                // next request on the same connection
            }
        } catch (SocketTimeoutException | SocketException e) {
            // Idle too long, reset or closed by the client or by close(): the connection is over.
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "connection ended: " + e.getClass().getSimpleName());
        } finally {
            open.remove(socket);
        }
    }

    /** Serves one request; returns whether the connection may carry another. */
    private boolean serveOne(Socket socket, Watch watch, Http1Input in, OutputStream out) throws IOException {
        RequestHead head;
        try {
            watch.begin(2L * idleTimeoutMillis * 1_000_000L);
            head = RequestHead.read(in);
            watch.end();
        } catch (HeadTooLargeException e) {
            reject(out, 413, "request_too_large", e.getMessage());
            return false;
        } catch (MalformedRequestException e) {
            reject(out, 400, "invalid_parameter", "Malformed HTTP request: " + e.getMessage());
            return false;
        }
        if (head == null) return false;

        RequestBody[] bodyOf = new RequestBody[1];
        Http1Sink sink = new Http1Sink(new WatchedOutput(out, watch, idleTimeoutMillis * 1_000_000L), head.http11(),
                head.method().equals("HEAD"), head.keepAlive(), date, () -> !bodyOf[0].mayBeSkipped(DRAIN_LIMIT));
        RequestBody body = RequestBody.of(head, in, head.expectContinue() ? () -> {
            if (!sink.started()) {
                out.write(CONTINUE);
                out.flush();
            }
        } : null);
        bodyOf[0] = body;
        HttpRequest request = new HttpRequest(head.method(), head.path(), head.rawQuery(), head.headers(), body,
                head.contentLength());
        try {
            handler.handle(request, sink);
        } catch (RuntimeException | Error e) {
            LOG.log(System.Logger.Level.ERROR, "handler failed: " + e.getClass().getName());
            if (!sink.started()) reject(out, 500, "internal_error", "The server had an error processing the request.");
            return false;
        }
        if (body.malformed) {
            if (!sink.started()) {
                reject(out, 400, "invalid_parameter", "Malformed HTTP request: the chunked body breaks its framing.");
            }
            return false;
        }
        if (!sink.finished() || !sink.reusable()) {
            if (sink.finished() && !body.complete()) lingerThenClose(socket, in);
            return false;
        }
        // What the handler left of the body must go before the next request can be read.
        if (body.complete() || body.skipRest(DRAIN_LIMIT)) return true;
        lingerThenClose(socket, in);
        return false;
    }

    /**
     * Ends a connection whose client may still be sending a body nobody will read (a 401 or 413
     * before a large upload): closing at once would reset the connection and could destroy the
     * response on its way to the client. Instead the sending side is shut, and what the client
     * still sends is read and dropped for a short while (a "lingering close").
     */
    private static void lingerThenClose(Socket socket, Http1Input in) {
        try {
            socket.shutdownOutput();
            socket.setSoTimeout(LINGER_MILLIS);
            long deadline = System.nanoTime() + LINGER_MILLIS * 1_000_000L;
            byte[] scratch = new byte[16 * 1024];
            long left = LINGER_MAX_BYTES;
            while (left > 0 && System.nanoTime() < deadline) {
                int n = in.read(scratch, 0, scratch.length);
                if (n < 0) return;
                left -= n;
            }
        } catch (IOException e) {
            // Reset, timed out or closed: the connection ends either way.
        }
    }

    /** Writes under the watchdog: a write blocked longer than {@code limitNanos} gets its socket closed. */
    private static final class WatchedOutput extends FilterOutputStream {
        private final Watch watch;
        private final long limitNanos;

        WatchedOutput(OutputStream out, Watch watch, long limitNanos) {
            super(out);
            this.watch = watch;
            this.limitNanos = limitNanos;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            watch.begin(limitNanos);
            try {
                out.write(b, off, len);
            } finally {
                watch.end();
            }
        }
    }

    /** The error envelope for a request the handler never saw; the connection closes after it. */
    private void reject(OutputStream out, int status, String code, String message) throws IOException {
        String type = status >= 500 ? "api_error" : "invalid_request_error";
        byte[] body = ("{\"error\":{\"message\":\"" + jsonEscape(message) + "\",\"type\":\"" + type
                + "\",\"param\":null,\"code\":\"" + code + "\"}}").getBytes(StandardCharsets.UTF_8);
        Http1Sink sink = new Http1Sink(out, true, false, false, date, () -> true);
        // The same request would fail the same way: the SDKs must not retry it.
        sink.start(status, status >= 500 ? Map.of("content-type", List.of("application/json"))
                : Map.of("content-type", List.of("application/json"), "x-should-retry", List.of("false")), body.length);
        sink.write(body);
        sink.close();
    }

    private static String jsonEscape(String s) {
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // Already closed or reset: nothing more to do.
        }
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
