package ai.sentx.content;

import ai.sentx.domain.files.ScanVerdict;
import ai.sentx.port.MalwareScanner;
import ai.sentx.port.ScannerUnavailableException;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Scans with ClamAV's daemon over TCP, streaming the file with {@code zINSTREAM}: 4-byte big-endian
 * length-prefixed chunks of at most 64 KiB, then a zero-length chunk; the reply is
 * {@code stream: OK}, {@code stream: <signature> FOUND} or {@code <reason> ERROR}. Thread-safe: one
 * connection per scan.
 *
 * <p>clamd refuses streams longer than its {@code StreamMaxLength} (default 25M) with an ERROR,
 * so it must be configured above the upload limit (for example {@code StreamMaxLength 26M}).
 *
 * <p>No verdict is ever guessed: an unreachable daemon, a timeout (connect, each read, or the
 * whole scan, which also bounds writes to a daemon that stops reading), an ERROR or any other reply
 * is a {@link ScannerUnavailableException} whose message names no file and no file content.
 */
public final class ClamdScanner implements MalwareScanner {
    static final int CHUNK_BYTES = 64 * 1024;
    private static final int MAX_REPLY_BYTES = 1024;
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sentx-clamd-watchdog");
        t.setDaemon(true);
        return t;
    });

    private final InetSocketAddress address;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final Duration scanTimeout;

    /**
     * A scanner for clamd at {@code host:port} with a 2 s connect timeout, 30 s read timeout and a
     * 60 s limit for the whole scan.
     *
     * @throws NullPointerException     if {@code host} is null
     * @throws IllegalArgumentException if {@code port} is not a TCP port
     */
    public ClamdScanner(String host, int port) {
        this(host, port, Duration.ofSeconds(2), Duration.ofSeconds(30), Duration.ofSeconds(60));
    }

    /**
     * A scanner for clamd at {@code host:port}.
     *
     * @param connectTimeout how long to wait for the connection
     * @param readTimeout    how long to wait for any one read of the reply
     * @param scanTimeout    how long the whole scan (connect, send, reply) may take
     * @throws NullPointerException     if an argument is null
     * @throws IllegalArgumentException if {@code port} is not a TCP port or a timeout is not positive
     */
    public ClamdScanner(String host, int port, Duration connectTimeout, Duration readTimeout, Duration scanTimeout) {
        Objects.requireNonNull(host, "host");
        if (port < 1 || port > 65_535) throw new IllegalArgumentException("port must be in 1..65535");
        this.address = InetSocketAddress.createUnresolved(host, port);
        this.connectTimeout = positive(connectTimeout, "connectTimeout");
        this.readTimeout = positive(readTimeout, "readTimeout");
        this.scanTimeout = positive(scanTimeout, "scanTimeout");
    }

    /**
     * {@inheritDoc}
     *
     * @param file the spooled upload; not null
     * @return {@link ScanVerdict.Infected} with clamd's signature name, or {@link ScanVerdict.Clean}
     * @throws NullPointerException        if {@code file} is null
     * @throws ScannerUnavailableException if clamd gave no verdict (unreachable, timed out, ERROR, unexpected reply)
     */
    @Override
    public ScanVerdict scan(Path file) throws ScannerUnavailableException {
        Objects.requireNonNull(file, "file");
        AtomicBoolean expired = new AtomicBoolean();
        InputStream content;
        try {
            content = Files.newInputStream(file);
        } catch (IOException e) {
            throw new ScannerUnavailableException("could not read the file to scan it", e);
        }
        try (content; Socket socket = new Socket()) {
            ScheduledFuture<?> watchdog = WATCHDOG.schedule(() -> {
                expired.set(true);
                closeQuietly(socket);
            }, scanTimeout.toMillis(), TimeUnit.MILLISECONDS);
            try {
                InetSocketAddress resolved = new InetSocketAddress(address.getHostString(), address.getPort());
                socket.connect(resolved, Math.toIntExact(Math.max(1, connectTimeout.toMillis())));
                socket.setTcpNoDelay(true);
                socket.setSoTimeout(Math.toIntExact(Math.max(1, readTimeout.toMillis())));
                IOException sendFailure = null;
                try {
                    send(content, socket.getOutputStream());
                } catch (IOException e) {
                    // clamd closes after an early ERROR (a too-long stream); its reply says why.
                    if (expired.get()) throw e;
                    sendFailure = e;
                }
                String reply = readReply(socket.getInputStream());
                if (reply.isEmpty() && sendFailure != null) throw sendFailure;
                return verdict(reply);
            } finally {
                watchdog.cancel(false);
            }
        } catch (ScannerUnavailableException e) {
            throw e;
        } catch (SocketTimeoutException e) {
            throw new ScannerUnavailableException("clamd at " + where() + " timed out", e);
        } catch (ConnectException e) {
            throw new ScannerUnavailableException("clamd at " + where() + " is unreachable", e);
        } catch (IOException | RuntimeException e) {
            if (expired.get()) {
                throw new ScannerUnavailableException("clamd at " + where() + " did not finish the scan in " + scanTimeout, e);
            }
            throw new ScannerUnavailableException("clamd at " + where() + " failed: " + e.getClass().getSimpleName(), e);
        }
    }

    /** Sends the command, the content in chunks and the end mark; a failing socket is an IOException, a failing file is not. */
    private static void send(InputStream content, OutputStream socketOut) throws IOException, ScannerUnavailableException {
        DataOutputStream out = new DataOutputStream(socketOut);
        out.write("zINSTREAM\0".getBytes(StandardCharsets.US_ASCII));
        byte[] chunk = new byte[CHUNK_BYTES];
        int n;
        while ((n = readFile(content, chunk)) > 0) {
            out.writeInt(n);
            out.write(chunk, 0, n);
        }
        out.writeInt(0);
        out.flush();
    }

    private static int readFile(InputStream content, byte[] chunk) throws ScannerUnavailableException {
        try {
            return content.readNBytes(chunk, 0, chunk.length);
        } catch (IOException e) {
            throw new ScannerUnavailableException("could not read the file to scan it", e);
        }
    }

    /** The reply up to its NUL terminator (or the end of the stream), at most 1 KiB. */
    private static String readReply(InputStream in) throws IOException {
        ByteArrayOutputStream reply = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1 && b != 0) {
            if (reply.size() >= MAX_REPLY_BYTES) break;
            reply.write(b);
        }
        return reply.toString(StandardCharsets.US_ASCII).strip();
    }

    private ScanVerdict verdict(String reply) throws ScannerUnavailableException {
        if (reply.equals("stream: OK")) return new ScanVerdict.Clean();
        if (reply.startsWith("stream: ") && reply.endsWith(" FOUND")) {
            String signature = reply.substring("stream: ".length(), reply.length() - " FOUND".length()).strip();
            if (!signature.isEmpty()) return new ScanVerdict.Infected(printable(signature));
        }
        if (reply.endsWith("ERROR")) {
            throw new ScannerUnavailableException("clamd at " + where() + " refused the scan: " + printable(reply));
        }
        throw new ScannerUnavailableException("clamd at " + where() + " gave an unexpected reply");
    }

    private String where() {
        return address.getHostString() + ":" + address.getPort();
    }

    /** At most 200 printable ASCII characters, so a reply cannot forge log lines. */
    private static String printable(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length() && out.length() < 200; i++) {
            char c = s.charAt(i);
            out.append(c >= 0x20 && c < 0x7F ? c : '?');
        }
        return out.toString();
    }

    private static Duration positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) throw new IllegalArgumentException(name + " must be positive");
        return d;
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Closing is how the watchdog ends a stuck scan; nothing else to do.
        }
    }
}
