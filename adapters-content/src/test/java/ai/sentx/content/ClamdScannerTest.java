package ai.sentx.content;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sentx.domain.files.ScanVerdict;
import ai.sentx.port.ScannerUnavailableException;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The INSTREAM protocol against a fake clamd: a real server socket scripted by each test. */
class ClamdScannerTest {
    @TempDir
    Path dir;

    private FakeClamd clamd;

    @AfterEach
    void stop() throws IOException {
        if (clamd != null) clamd.close();
    }

    private ClamdScanner scanner(Duration read, Duration scan) {
        return new ClamdScanner("127.0.0.1", clamd.port(), Duration.ofSeconds(2), read, scan);
    }

    private ClamdScanner scanner() {
        return scanner(Duration.ofSeconds(5), Duration.ofSeconds(10));
    }

    private Path file(int size) throws IOException {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return Files.write(dir.resolve("f" + size), bytes);
    }

    @Test
    void sendsZInstreamWithBigEndianChunksOfAtMost64KiB_andAZeroLengthEnd() throws Exception {
        clamd = new FakeClamd(FakeClamd.reply("stream: OK"));
        Path file = file(200_000);
        assertEquals(new ScanVerdict.Clean(), scanner().scan(file));
        FakeClamd.Received got = clamd.received.get(5, TimeUnit.SECONDS);
        assertEquals("zINSTREAM\0", got.command);
        assertEquals(List.of(65_536, 65_536, 65_536, 200_000 - 3 * 65_536), got.chunkSizes);
        assertArrayEquals(Files.readAllBytes(file), got.payload);
    }

    @Test
    void sendsJustTheEndMark_forAnEmptyFile() throws Exception {
        clamd = new FakeClamd(FakeClamd.reply("stream: OK"));
        assertEquals(new ScanVerdict.Clean(), scanner().scan(file(0)));
        assertEquals(List.of(), clamd.received.get(5, TimeUnit.SECONDS).chunkSizes);
    }

    @Test
    void reportsTheSignatureClamdFound() throws Exception {
        clamd = new FakeClamd(FakeClamd.reply("stream: Win.Test.EICAR_HDB-1 FOUND"));
        assertEquals(new ScanVerdict.Infected("Win.Test.EICAR_HDB-1"), scanner().scan(file(68)));
    }

    @Test
    void isUnavailable_whenClamdAnswersError() throws Exception {
        clamd = new FakeClamd(FakeClamd.reply("stream: Can't allocate memory ERROR"));
        ScannerUnavailableException e = assertThrows(ScannerUnavailableException.class, () -> scanner().scan(file(10)));
        assertTrue(e.getMessage().contains("refused the scan: stream: Can't allocate memory ERROR"), e.getMessage());
    }

    @Test
    void isUnavailable_withClamdsReason_whenItCutsAStreamOverItsSizeLimit() throws Exception {
        clamd = new FakeClamd((fake, socket) -> {
            DataInputStream in = new DataInputStream(socket.getInputStream());
            in.readNBytes(10);
            int length = in.readInt();
            in.readNBytes(length);
            socket.getOutputStream().write("INSTREAM size limit exceeded. ERROR\0".getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            socket.close();
        });
        ScannerUnavailableException e = assertThrows(ScannerUnavailableException.class, () -> scanner().scan(file(4_000_000)));
        assertTrue(e.getMessage().contains("INSTREAM size limit exceeded"), e.getMessage());
    }

    @Test
    void isUnavailable_whenClamdNeverAnswers() throws Exception {
        clamd = new FakeClamd((fake, socket) -> {
            FakeClamd.read(socket);
            Thread.sleep(3_000);
        });
        long start = System.nanoTime();
        ScannerUnavailableException e = assertThrows(ScannerUnavailableException.class,
                () -> scanner(Duration.ofMillis(300), Duration.ofSeconds(10)).scan(file(10)));
        assertTrue(e.getMessage().endsWith("timed out"), e.getMessage());
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(2).toNanos());
    }

    @Test
    void isUnavailable_whenClamdStopsReading_withinTheScanTimeout() throws Exception {
        clamd = new FakeClamd((fake, socket) -> {
            Thread.sleep(5_000);
        });
        long start = System.nanoTime();
        ScannerUnavailableException e = assertThrows(ScannerUnavailableException.class,
                () -> scanner(Duration.ofSeconds(5), Duration.ofMillis(500)).scan(file(20_000_000)));
        assertTrue(e.getMessage().contains("did not finish the scan"), e.getMessage());
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(3).toNanos());
    }

    @Test
    void isUnavailable_whenNothingListens() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        ClamdScanner scanner = new ClamdScanner("127.0.0.1", port);
        ScannerUnavailableException e = assertThrows(ScannerUnavailableException.class, () -> scanner.scan(file(10)));
        assertEquals("clamd at 127.0.0.1:" + port + " is unreachable", e.getMessage());
    }

    @Test
    void isUnavailable_onAGarbageReply_withoutEchoingIt() throws Exception {
        clamd = new FakeClamd(FakeClamd.reply("HTTP/1.1 400 Bad Request\r\nsecret-ish"));
        ScannerUnavailableException e = assertThrows(ScannerUnavailableException.class, () -> scanner().scan(file(10)));
        assertTrue(e.getMessage().endsWith("gave an unexpected reply"), e.getMessage());
        assertFalse(e.getMessage().contains("secret"));
    }

    @Test
    void isUnavailable_whenClamdClosesWithoutAReply() throws Exception {
        clamd = new FakeClamd((fake, socket) -> {
            FakeClamd.read(socket);
            socket.close();
        });
        assertThrows(ScannerUnavailableException.class, () -> scanner().scan(file(10)));
    }

    @Test
    void isUnavailable_whenTheFileIsMissing_withoutConnecting() throws Exception {
        clamd = new FakeClamd(FakeClamd.reply("stream: OK"));
        ScannerUnavailableException e = assertThrows(ScannerUnavailableException.class, () -> scanner().scan(dir.resolve("gone")));
        assertEquals("could not read the file to scan it", e.getMessage());
        assertEquals(0, clamd.connections);
    }

    @Test
    void refusesABadPortOrTimeout() {
        assertThrows(IllegalArgumentException.class, () -> new ClamdScanner("localhost", 0));
        assertThrows(IllegalArgumentException.class,
                () -> new ClamdScanner("localhost", 3310, Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(1)));
        assertThrows(NullPointerException.class, () -> new ClamdScanner(null, 3310));
    }

    /** A one-connection-at-a-time TCP server on loopback that runs a script per connection. */
    static final class FakeClamd implements AutoCloseable {
        interface Script {
            void run(FakeClamd fake, Socket socket) throws Exception;
        }

        record Received(String command, List<Integer> chunkSizes, byte[] payload) {
        }

        final CompletableFuture<Received> received = new CompletableFuture<>();
        volatile int connections;
        private final ServerSocket server;
        private final Thread thread;

        FakeClamd(Script script) throws IOException {
            server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
            thread = new Thread(() -> {
                while (!server.isClosed()) {
                    try (Socket socket = server.accept()) {
                        connections++;
                        script.run(this, socket);
                    } catch (Exception ignored) {
                        // The test's scanner sees the effect; the fake just goes on.
                    }
                }
            }, "fake-clamd");
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return server.getLocalPort();
        }

        /** Reads a full INSTREAM request, then answers {@code reply} NUL-terminated. */
        static Script reply(String reply) {
            return (fake, socket) -> {
                Received got = read(socket);
                OutputStream out = socket.getOutputStream();
                out.write((reply + "\0").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                fake.received.complete(got);
            };
        }

        static Received read(Socket socket) throws IOException {
            DataInputStream in = new DataInputStream(socket.getInputStream());
            String command = new String(in.readNBytes(10), StandardCharsets.US_ASCII);
            List<Integer> sizes = new ArrayList<>();
            ByteArrayOutputStream payload = new ByteArrayOutputStream();
            int length;
            while ((length = in.readInt()) != 0) {
                sizes.add(length);
                payload.write(in.readNBytes(length));
            }
            return new Received(command, sizes, payload.toByteArray());
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
