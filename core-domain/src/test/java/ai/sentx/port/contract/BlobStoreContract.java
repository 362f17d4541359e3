package ai.sentx.port.contract;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import ai.sentx.domain.files.FileRules;
import ai.sentx.port.BlobStore;
import ai.sentx.port.BlobStoreException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link BlobStore} must do: the bytes read are exactly the bytes put (up to the
 * largest file the API accepts), a put replaces, a missing or deleted key is
 * {@link BlobStoreException.NotFound}, delete is idempotent, reads do not depend on the content
 * type (which may be {@code null}), and puts and deletes of different keys may run at the same
 * time. A put whose {@code length} is not the file's size is an {@link IllegalArgumentException}
 * and stores nothing; a source that cannot be read is a {@link BlobStoreException}, not
 * {@code NotFound}.
 *
 * <p>Keys look like the real ones ({@code files/<account>/<file id>}) and are fresh random ones in
 * every case, so a store shared by the cases of one run (one bucket) serves them all. Source files
 * are written to JUnit's temporary directory.
 */
public interface BlobStoreContract {
    /** A store to test; it may share its backing store with earlier ones, keys never collide. */
    BlobStore newBlobStore();

    /**
     * How many rounds the put-and-delete race runs. The default keeps a run against a networked
     * store short; an in-process implementation should raise it to hundreds, because the window
     * in which a delete removes the folder a put is about to write into is narrow.
     */
    default int raceRounds() {
        return 5;
    }

    @Test
    default void opensTheBytesPut_forASmallFile(@TempDir Path dir) throws IOException {
        BlobStore store = newBlobStore();
        String key = aKey();
        Path source = write(dir, "small.txt", "hello, blob\n".getBytes(StandardCharsets.UTF_8));

        store.put(key, source, Files.size(source), "text/plain");

        assertSameBytes(source, store, key);
    }

    @Test
    default void opensTheBytesPut_forAFileOfTheLargestAcceptedSize(@TempDir Path dir) throws IOException {
        BlobStore store = newBlobStore();
        String key = aKey();
        Path source = randomFile(dir, FileRules.MAX_FILE_BYTES, 25);

        store.put(key, source, FileRules.MAX_FILE_BYTES, "application/pdf");

        assertSameBytes(source, store, key);
    }

    @Test
    default void replacesTheBytes_whenTheSameKeyIsPutAgain(@TempDir Path dir) throws IOException {
        BlobStore store = newBlobStore();
        String key = aKey();
        Path longer = randomFile(dir, 300_000, 1);
        Path shorter = write(dir, "shorter.txt", "the second version".getBytes(StandardCharsets.UTF_8));
        store.put(key, longer, Files.size(longer), "application/octet-stream");

        store.put(key, shorter, Files.size(shorter), "text/plain");

        assertSameBytes(shorter, store, key);
    }

    @Test
    default void throwsNotFound_whenOpeningAKeyNeverPut() {
        BlobStore store = newBlobStore();

        assertThrows(BlobStoreException.NotFound.class, () -> store.open(aKey()));
    }

    @Test
    default void throwsNotFound_whenOpeningADeletedKey(@TempDir Path dir) throws IOException {
        BlobStore store = newBlobStore();
        String key = aKey();
        Path source = write(dir, "doomed.txt", "soon gone".getBytes(StandardCharsets.UTF_8));
        store.put(key, source, Files.size(source), "text/plain");

        store.delete(key);

        assertThrows(BlobStoreException.NotFound.class, () -> store.open(key));
    }

    @Test
    default void deletesIdempotently_whenTheKeyIsMissingOrAlreadyDeleted(@TempDir Path dir) throws IOException {
        BlobStore store = newBlobStore();
        String key = aKey();
        Path source = write(dir, "twice.txt", "delete me twice".getBytes(StandardCharsets.UTF_8));
        store.delete(aKey());
        store.put(key, source, Files.size(source), "text/plain");

        store.delete(key);
        store.delete(key);

        assertThrows(BlobStoreException.NotFound.class, () -> store.open(key));
    }

    @Test
    default void deletesOnlyItsKey_whenOtherFilesOfTheAccountRemain(@TempDir Path dir) throws IOException {
        BlobStore store = newBlobStore();
        String account = "acct_" + UUID.randomUUID();
        String gone = "files/" + account + "/file-gone";
        String kept = "files/" + account + "/file-kept";
        Path source = write(dir, "kept.txt", "still here".getBytes(StandardCharsets.UTF_8));
        store.put(gone, source, Files.size(source), "text/plain");
        store.put(kept, source, Files.size(source), "text/plain");

        store.delete(gone);

        assertSameBytes(source, store, kept);
        assertThrows(BlobStoreException.NotFound.class, () -> store.open(gone));
    }

    @Test
    default void readsTheBytes_whateverContentTypeWasStored(@TempDir Path dir) throws IOException {
        BlobStore store = newBlobStore();
        Path source = randomFile(dir, 4_096, 7);
        String untyped = aKey();
        String mislabelled = aKey();

        store.put(untyped, source, Files.size(source), null);
        store.put(mislabelled, source, Files.size(source), "text/html; charset=utf-8");

        assertSameBytes(source, store, untyped);
        assertSameBytes(source, store, mislabelled);
    }

    @Test
    default void storesNothing_whenTheLengthIsNotTheFileSize(@TempDir Path dir) throws IOException {
        BlobStore store = newBlobStore();
        String key = aKey();
        Path source = write(dir, "ten.bin", new byte[10]);

        assertThrows(IllegalArgumentException.class, () -> store.put(key, source, 11, "application/octet-stream"));

        assertThrows(BlobStoreException.NotFound.class, () -> store.open(key));
    }

    @Test
    default void failsWithAStoreError_notNotFound_whenTheSourceFileIsMissing(@TempDir Path dir) {
        BlobStore store = newBlobStore();
        String key = aKey();

        BlobStoreException thrown = assertThrows(BlobStoreException.class,
                () -> store.put(key, dir.resolve("no-such-file"), 1, "text/plain"));

        assertFalse(thrown instanceof BlobStoreException.NotFound, "a missing source is not a missing blob");
        assertThrows(BlobStoreException.NotFound.class, () -> store.open(key));
    }

    @Test
    default void keepsEveryFile_whenDifferentKeysArePutConcurrently(@TempDir Path dir) throws IOException {
        BlobStore store = newBlobStore();
        int threads = 8;
        String account = "acct_" + UUID.randomUUID();
        List<Path> sources = new ArrayList<>();
        for (int i = 0; i < threads; i++) sources.add(randomFile(dir, 64_000 + i, 100 + i));

        List<String> keys = Race.run(threads, i -> {
            String key = "files/" + account + "/file-" + i;
            store.put(key, sources.get(i), 64_000 + i, "application/octet-stream");
            return key;
        });

        for (int i = 0; i < threads; i++) assertSameBytes(sources.get(i), store, keys.get(i));
    }

    @Test
    default void keepsPutsAndDeletesApart_whenTheyRaceInOneAccountsFolder(@TempDir Path dir) throws IOException {
        BlobStore store = newBlobStore();
        Path source = write(dir, "racer.txt", "racing bytes".getBytes(StandardCharsets.UTF_8));
        long length = Files.size(source);
        int pairs = 4;
        for (int round = 0; round < raceRounds(); round++) {
            // Each folder holds only the key about to be deleted, so a store that removes emptied
            // folders (a directory on disk) races that removal against the put into the same folder.
            List<String> folders = new ArrayList<>();
            for (int i = 0; i < pairs; i++) {
                String folder = "files/acct_" + UUID.randomUUID() + "/";
                store.put(folder + "old", source, length, "text/plain");
                folders.add(folder);
            }

            Race.run(2 * pairs, i -> {
                String folder = folders.get(i / 2);
                if (i % 2 == 0) store.put(folder + "new", source, length, "text/plain");
                else store.delete(folder + "old");
                return null;
            });

            for (String folder : folders) {
                assertSameBytes(source, store, folder + "new");
                assertThrows(BlobStoreException.NotFound.class, () -> store.open(folder + "old"));
            }
        }
    }

    private static String aKey() {
        return "files/acct_" + UUID.randomUUID() + "/file-" + UUID.randomUUID().toString().replace("-", "");
    }

    private static Path write(Path dir, String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    /** A file of {@code size} pseudo-random bytes (fixed by {@code seed}), written 1 MiB at a time. */
    private static Path randomFile(Path dir, long size, long seed) throws IOException {
        Path file = dir.resolve("random-" + seed + "-" + size + ".bin");
        SplittableRandom random = new SplittableRandom(seed);
        byte[] block = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long left = size; left > 0; left -= block.length) {
                random.nextBytes(block);
                out.write(block, 0, (int) Math.min(block.length, left));
            }
        }
        return file;
    }

    /** Streams the blob and the expected file side by side; fails at the first differing offset. */
    private static void assertSameBytes(Path expected, BlobStore store, String key) {
        byte[] want = new byte[64 * 1024];
        byte[] got = new byte[want.length];
        long offset = 0;
        try (InputStream expectedIn = Files.newInputStream(expected); InputStream actualIn = store.open(key)) {
            while (true) {
                int wanted = expectedIn.readNBytes(want, 0, want.length);
                int read = actualIn.readNBytes(got, 0, got.length);
                int mismatch = Arrays.mismatch(want, 0, wanted, got, 0, read);
                if (mismatch >= 0) {
                    fail(key + " differs from " + expected.getFileName() + " at byte " + (offset + mismatch)
                            + " (expected " + (offset + wanted) + "+ bytes, read " + (offset + read) + "+)");
                }
                if (wanted < want.length) break;
                offset += wanted;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + key, e);
        }
    }
}
