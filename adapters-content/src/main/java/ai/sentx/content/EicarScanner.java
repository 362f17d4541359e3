package ai.sentx.content;

import ai.sentx.domain.files.ScanVerdict;
import ai.sentx.port.MalwareScanner;
import ai.sentx.port.ScannerUnavailableException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.zip.ZipEntry;

/**
 * The embedded default scanner: it knows one signature, the EICAR anti-virus test string, and
 * stands in for a real scanner ({@link ClamdScanner}) where none runs. Thread-safe.
 *
 * <p>A file is infected when the 68-byte EICAR string occurs anywhere in its bytes (which covers
 * the EICAR file itself, with or without trailing whitespace or newline, and text quoting it), or
 * anywhere in the inflated bytes of an entry of a zip it is or ends with (one level deep: at most
 * 10,000 entries, 8 MiB per entry and 64 MiB in all are inflated, so a zip bomb costs a bounded
 * time). The file is streamed, never loaded whole. It does not look inside compressed PDF streams
 * or nested archives.
 */
public final class EicarScanner implements MalwareScanner {
    /** The name an EICAR hit is reported under. */
    public static final String SIGNATURE = "EICAR-Test-File";

    static final byte[] EICAR = "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
            .getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_ENTRIES = 10_000;
    private static final long MAX_ENTRY_BYTES = 8L * 1024 * 1024;
    private static final long MAX_ARCHIVE_BYTES = 64L * 1024 * 1024;

    /**
     * {@inheritDoc}
     *
     * @param file the spooled upload; not null
     * @return {@link ScanVerdict.Infected} named {@value #SIGNATURE}, or {@link ScanVerdict.Clean}
     * @throws NullPointerException        if {@code file} is null
     * @throws ScannerUnavailableException if the file cannot be read
     */
    @Override
    public ScanVerdict scan(Path file) throws ScannerUnavailableException {
        Objects.requireNonNull(file, "file");
        try (InputStream in = Files.newInputStream(file)) {
            if (contains(in, EICAR, Long.MAX_VALUE)) return new ScanVerdict.Infected(SIGNATURE);
        } catch (IOException e) {
            throw new ScannerUnavailableException("could not read the file to scan it", e);
        }
        return inArchive(file) ? new ScanVerdict.Infected(SIGNATURE) : new ScanVerdict.Clean();
    }

    private static boolean inArchive(Path file) {
        Optional<BoundedZip> opened = BoundedZip.open(file, MAX_ENTRIES);
        if (opened.isEmpty()) return false;
        long budget = MAX_ARCHIVE_BYTES;
        try (BoundedZip zip = opened.get()) {
            for (ZipEntry entry : zip.files()) {
                if (budget <= 0) break;
                long limit = Math.min(MAX_ENTRY_BYTES, budget);
                try (InputStream in = zip.open(entry)) {
                    CountingLimit counted = new CountingLimit();
                    if (contains(in, EICAR, limit, counted)) return true;
                    budget -= counted.read;
                } catch (IOException | RuntimeException e) {
                    // A broken entry hides nothing we could read; the raw bytes were scanned already.
                }
            }
        }
        return false;
    }

    static boolean contains(InputStream in, byte[] pattern, long maxBytes) throws IOException {
        return contains(in, pattern, maxBytes, new CountingLimit());
    }

    /** Whether {@code pattern} occurs in the first {@code maxBytes} of {@code in}; streamed with an overlap. */
    private static boolean contains(InputStream in, byte[] pattern, long maxBytes, CountingLimit counted) throws IOException {
        int keep = pattern.length - 1;
        byte[] buffer = new byte[64 * 1024 + keep];
        int carried = 0;
        while (counted.read < maxBytes) {
            int want = (int) Math.min(buffer.length - carried, maxBytes - counted.read);
            int n = in.read(buffer, carried, want);
            if (n == -1) return false;
            counted.read += n;
            int filled = carried + n;
            if (indexOf(buffer, filled, pattern) >= 0) return true;
            carried = Math.min(keep, filled);
            System.arraycopy(buffer, filled - carried, buffer, 0, carried);
        }
        return false;
    }

    private static int indexOf(byte[] haystack, int length, byte[] needle) {
        byte first = needle[0];
        outer:
        for (int i = 0; i <= length - needle.length; i++) {
            if (haystack[i] != first) continue;
            for (int j = 1; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) continue outer;
            }
            return i;
        }
        return -1;
    }

    private static final class CountingLimit {
        long read;
    }
}
