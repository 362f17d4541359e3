package ai.sentx.content;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sentx.domain.files.ScanVerdict;
import ai.sentx.port.MalwareScanner;
import ai.sentx.port.ScannerUnavailableException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ClamdScanner} against a real clamd (Debian's {@code clamav-daemon}), started here as a child
 * process on a free loopback port with signatures this test writes (no official database needed).
 * Skipped, with the reason, where no clamd binary exists.
 */
class ClamdScannerIT implements MalwareScannerContract {
    private static final String EICAR_STRING_SIGNATURE = "SentX.Test.EICAR";
    private static Process clamd;
    private static ClamdScanner scanner;

    @TempDir
    static Path work;

    @BeforeAll
    static void startClamd() throws Exception {
        Optional<Path> binary = Stream.of("/usr/sbin/clamd", "/usr/bin/clamd", "/usr/local/sbin/clamd")
                .map(Path::of).filter(Files::isExecutable).findFirst();
        Assumptions.assumeTrue(binary.isPresent(),
                "no clamd binary on this machine (Debian: apt-get install -y clamav-daemon); real-clamd tests skipped");
        Path db = Files.createDirectories(work.resolve("db"));
        // An .ndb body signature: the EICAR string's core anywhere in a scanned file (clamd unpacks zips itself).
        String hex = HexFormat.of().formatHex("EICAR-STANDARD-ANTIVIRUS-TEST-FILE".getBytes(StandardCharsets.US_ASCII));
        Files.writeString(db.resolve("sentx.ndb"), EICAR_STRING_SIGNATURE + ":0:*:" + hex + "\n");
        // An .hdb hash signature for the exact 68-byte EICAR file.
        byte[] eicar = Samples.EICAR.getBytes(StandardCharsets.US_ASCII);
        String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(eicar));
        Files.writeString(db.resolve("sentx.hdb"), md5 + ":" + eicar.length + ":SentX.Test.EICAR.File\n");
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        Path config = Files.writeString(work.resolve("clamd.conf"), String.join("\n", List.of(
                "Foreground yes",
                "TCPSocket " + port,
                "TCPAddr 127.0.0.1",
                "DatabaseDirectory " + db,
                "TemporaryDirectory " + work,
                "PidFile " + work.resolve("clamd.pid"),
                "StreamMaxLength 1M",
                "")));
        clamd = new ProcessBuilder(binary.get().toString(), "-c", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("clamd.log").toFile())
                .start();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!pong(port)) {
            if (!clamd.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("clamd did not start:\n" + Files.readString(work.resolve("clamd.log")));
            }
            Thread.sleep(100);
        }
        scanner = new ClamdScanner("127.0.0.1", port, Duration.ofSeconds(2), Duration.ofSeconds(20), Duration.ofSeconds(30));
    }

    private static boolean pong(int port) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(1000);
            OutputStream out = socket.getOutputStream();
            out.write("zPING\0".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readNBytes(5), StandardCharsets.US_ASCII).equals("PONG\0");
        } catch (IOException e) {
            return false;
        }
    }

    @AfterAll
    static void stopClamd() throws InterruptedException {
        if (clamd == null) return;
        clamd.destroy();
        if (!clamd.waitFor(10, TimeUnit.SECONDS)) clamd.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public MalwareScanner scanner() {
        return scanner;
    }

    @Test
    void namesTheSignatureClamdMatched() throws Exception {
        Path eicar = Files.writeString(work.resolve("named.txt"), "prefix " + Samples.EICAR, StandardCharsets.US_ASCII);
        ScanVerdict verdict = scanner.scan(eicar);
        assertEquals(new ScanVerdict.Infected(EICAR_STRING_SIGNATURE + ".UNOFFICIAL"), verdict);
    }

    @Test
    void passesACleanFileSentInManyChunks() throws Exception {
        Path clean = Files.write(work.resolve("clean.bin"), new byte[900_000]);
        assertEquals(new ScanVerdict.Clean(), scanner.scan(clean));
    }

    @Test
    void isUnavailable_whenTheFileExceedsClamdsStreamMaxLength() throws Exception {
        Path big = Files.write(work.resolve("big.bin"), new byte[3_000_000]);
        ScannerUnavailableException e = assertThrows(ScannerUnavailableException.class, () -> scanner.scan(big));
        assertTrue(e.getMessage().contains("size limit exceeded"), e.getMessage());
    }
}
