package ai.sentx.content;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A zip read with bounds: its central directory only (nothing is inflated to list entries), at
 * most {@code maxEntries} entries, and entries read to at most a given number of inflated bytes.
 * A zip bomb is never inflated beyond those bytes.
 */
final class BoundedZip implements Closeable {
    private final ZipFile zip;

    private BoundedZip(ZipFile zip) {
        this.zip = zip;
    }

    /** The zip at {@code file}, or empty when it is not a readable zip or lists more than {@code maxEntries} entries. */
    static Optional<BoundedZip> open(Path file, int maxEntries) {
        ZipFile zip;
        try {
            zip = new ZipFile(file.toFile());
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
        if (zip.size() > maxEntries) {
            closeQuietly(zip);
            return Optional.empty();
        }
        return Optional.of(new BoundedZip(zip));
    }

    boolean has(String name) {
        return zip.getEntry(name) != null;
    }

    /** The entries that are files, in central-directory order. */
    List<ZipEntry> files() {
        List<ZipEntry> files = new ArrayList<>();
        for (ZipEntry e : Collections.list(zip.entries())) {
            if (!e.isDirectory()) files.add(e);
        }
        return files;
    }

    /** The inflated bytes of entry {@code name}, or empty when it is missing, broken or inflates past {@code maxBytes}. */
    Optional<byte[]> read(String name, int maxBytes) {
        ZipEntry entry = zip.getEntry(name);
        if (entry == null) return Optional.empty();
        try (InputStream in = zip.getInputStream(entry)) {
            byte[] bytes = in.readNBytes(maxBytes + 1);
            return bytes.length > maxBytes ? Optional.empty() : Optional.of(bytes);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** A stream over entry {@code entry}'s inflated bytes; the caller bounds how much it reads. */
    InputStream open(ZipEntry entry) throws IOException {
        return zip.getInputStream(entry);
    }

    @Override
    public void close() {
        closeQuietly(zip);
    }

    private static void closeQuietly(ZipFile zip) {
        try {
            zip.close();
        } catch (IOException ignored) {
            // Read-only; nothing to lose.
        }
    }
}
