package ai.sentx.content;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import ai.sentx.domain.files.ScanVerdict;
import ai.sentx.port.MalwareScanner;
import ai.sentx.port.ScannerUnavailableException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EicarScannerTest implements MalwareScannerContract {
    private final EicarScanner scanner = new EicarScanner();

    @TempDir
    Path dir;

    @Override
    public MalwareScanner scanner() {
        return scanner;
    }

    @Test
    void namesTheHitEicarTestFile() throws Exception {
        Path eicar = Files.writeString(dir.resolve("e"), Samples.EICAR, StandardCharsets.US_ASCII);
        assertEquals(new ScanVerdict.Infected("EICAR-Test-File"), scanner.scan(eicar));
    }

    @Test
    void findsTheEicarString_straddlingTwoReadBuffers() throws Exception {
        for (int before : new int[] {64 * 1024 - 30, 64 * 1024 - 1, 64 * 1024, 3 * 64 * 1024 - 67}) {
            Path file = dir.resolve("s" + before);
            try (OutputStream out = Files.newOutputStream(file)) {
                out.write(new byte[before]);
                out.write(Samples.EICAR.getBytes(StandardCharsets.US_ASCII));
                out.write(new byte[100]);
            }
            assertEquals(new ScanVerdict.Infected(EicarScanner.SIGNATURE), scanner.scan(file), "at " + before);
        }
    }

    @Test
    void findsTheEicarString_inADeflatedZipEntry() throws Exception {
        byte[] zip = Samples.zip(Map.of("nested/eicar.txt", ("padding " + Samples.EICAR + " padding").getBytes(StandardCharsets.US_ASCII)));
        assertEquals(new ScanVerdict.Infected(EicarScanner.SIGNATURE), scanner.scan(Samples.write(dir, "a.zip", zip)));
    }

    @Test
    void findsTheEicarString_inAStoredZipEntry() throws Exception {
        byte[] zip = Samples.storedZip("eicar.com", Samples.EICAR.getBytes(StandardCharsets.US_ASCII));
        assertEquals(new ScanVerdict.Infected(EicarScanner.SIGNATURE), scanner.scan(Samples.write(dir, "a.zip", zip)));
    }

    @Test
    void scansAZipBombInBoundedTime_andCallsItClean() throws Exception {
        Path bomb = Samples.officeBomb(dir.resolve("bomb.docx"), Samples.DOCX_CONTENT_TYPES, Samples.rels("word/document.xml"),
                "word/document.xml", "<x>", Samples.GIGABYTE);
        assertEquals(new ScanVerdict.Clean(), assertTimeoutPreemptively(Duration.ofSeconds(3), () -> scanner.scan(bomb)));
    }

    @Test
    void passesAnEmptyFile() throws Exception {
        assertEquals(new ScanVerdict.Clean(), scanner.scan(Samples.write(dir, "empty", new byte[0])));
    }

    @Test
    void isUnavailable_whenTheFileCannotBeRead() {
        ScannerUnavailableException e = assertThrows(ScannerUnavailableException.class, () -> scanner.scan(dir.resolve("missing")));
        assertEquals("could not read the file to scan it", e.getMessage());
    }

    @Test
    void streamsAFileLargerThanAnyBuffer() throws IOException, Exception {
        Path big = dir.resolve("big");
        try (OutputStream out = Files.newOutputStream(big)) {
            byte[] chunk = new byte[1 << 20];
            for (int i = 0; i < 26; i++) out.write(chunk);
            out.write(Samples.EICAR.getBytes(StandardCharsets.US_ASCII));
        }
        assertEquals(new ScanVerdict.Infected(EicarScanner.SIGNATURE), scanner.scan(big));
    }
}
