package ai.sentx.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sentx.port.BlobStore;
import ai.sentx.port.BlobStoreException;
import ai.sentx.port.contract.BlobStoreContract;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Runs the {@link BlobStoreContract} on {@link DiskBlobStore}, and checks what only a directory needs. */
class DiskBlobStoreTest implements BlobStoreContract {
    @TempDir
    Path root;

    @Override
    public BlobStore newBlobStore() {
        return new DiskBlobStore(root.resolve("blobs"));
    }

    @Override
    public int raceRounds() {
        return 150;
    }

    @Test
    void createsItsRootDirectory_whenMissing() {
        Path missing = root.resolve("not/yet/there");

        new DiskBlobStore(missing);

        assertTrue(Files.isDirectory(missing));
    }

    @Test
    void keepsTheFileAtItsKeysPath_andNoTemporaryFileBesideIt() throws IOException {
        DiskBlobStore store = new DiskBlobStore(root.resolve("blobs"));
        Path source = Files.writeString(root.resolve("source.txt"), "bytes on disk");

        store.put("files/acct_1/file-abc", source, Files.size(source), "text/plain");

        Path folder = root.resolve("blobs/files/acct_1");
        try (Stream<Path> files = Files.list(folder)) {
            assertEquals(List.of(folder.resolve("file-abc")), files.toList());
        }
        assertEquals("bytes on disk", Files.readString(folder.resolve("file-abc")));
    }

    @Test
    void removesTheFoldersItEmptied_butKeepsTheRoot_whenTheLastFileIsDeleted() throws IOException {
        Path blobs = root.resolve("blobs");
        DiskBlobStore store = new DiskBlobStore(blobs);
        Path source = Files.writeString(root.resolve("source.txt"), "x");
        store.put("files/acct_1/file-a", source, 1, "text/plain");
        store.put("files/acct_2/file-b", source, 1, "text/plain");

        store.delete("files/acct_1/file-a");
        assertFalse(Files.exists(blobs.resolve("files/acct_1")));
        assertTrue(Files.isDirectory(blobs.resolve("files/acct_2")));

        store.delete("files/acct_2/file-b");
        assertFalse(Files.exists(blobs.resolve("files")));
        assertTrue(Files.isDirectory(blobs));
    }

    @Test
    void leavesNoTemporaryFile_whenAPutIsRefused() throws IOException {
        Path blobs = root.resolve("blobs");
        DiskBlobStore store = new DiskBlobStore(blobs);
        Path source = Files.writeString(root.resolve("source.txt"), "four");

        assertThrows(IllegalArgumentException.class, () -> store.put("files/acct_1/file-a", source, 5, "text/plain"));

        try (Stream<Path> files = Files.list(blobs.resolve("files/acct_1"))) {
            assertEquals(List.of(), files.toList());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "/files/acct_1/file-a", "files//file-a", "files/acct_1/", "files/../secret", "..", "files/./file-a",
        "files\\acct_1\\file-a", "files/acct_1/file\0a", "files/.hidden", "files/acct 1/file-a", "C:/files/file-a",
        "files/acct_1/fïle"
    })
    void rejectsAnUnsafeKey_withoutTouchingTheDisk(String key, @TempDir Path outside) throws IOException {
        DiskBlobStore store = new DiskBlobStore(root.resolve("blobs"));
        Path source = Files.writeString(outside.resolve("source.txt"), "x");

        assertThrows(IllegalArgumentException.class, () -> store.put(key, source, 1, "text/plain"));
        assertThrows(IllegalArgumentException.class, () -> store.open(key));
        assertThrows(IllegalArgumentException.class, () -> store.delete(key));

        try (Stream<Path> files = Files.list(root.resolve("blobs"))) {
            assertEquals(List.of(), files.toList());
        }
    }

    @Test
    void rejectsAKeyLongerThanS3Allows() {
        DiskBlobStore store = new DiskBlobStore(root.resolve("blobs"));

        assertThrows(IllegalArgumentException.class, () -> store.open("a".repeat(1025)));
    }

    @Test
    void acceptsTheKeysTheDomainMakes() {
        DiskBlobStore store = new DiskBlobStore(root.resolve("blobs"));

        assertEquals(root.resolve("blobs/files/acct_9f3c-1/file-Ab_9.v2"),
                store.pathOf("files/acct_9f3c-1/file-Ab_9.v2"));
    }

    @Test
    void refusesToStore_whereABlobBlocksTheFolder_orAFolderBlocksTheBlob() throws IOException {
        DiskBlobStore store = new DiskBlobStore(root.resolve("blobs"));
        Path source = Files.writeString(root.resolve("source.txt"), "x");
        store.put("files/acct_1", source, 1, "text/plain");
        store.put("files/acct_2/file-a", source, 1, "text/plain");

        BlobStoreException underABlob = assertThrows(BlobStoreException.class,
                () -> store.put("files/acct_1/file-a", source, 1, "text/plain"));
        BlobStoreException onAFolder = assertThrows(BlobStoreException.class,
                () -> store.put("files/acct_2", source, 1, "text/plain"));

        assertTrue(underABlob.getMessage().contains("a blob is stored where its folder would be"), underABlob.getMessage());
        assertFalse(onAFolder instanceof BlobStoreException.NotFound, onAFolder.getMessage());
        try (InputStream in = store.open("files/acct_2/file-a")) {
            assertArrayEquals("x".getBytes(StandardCharsets.UTF_8), in.readAllBytes());
        }
    }

    @Test
    void findsNothing_whenTheKeyNamesAFolderOfLongerKeys() throws IOException {
        DiskBlobStore store = new DiskBlobStore(root.resolve("blobs"));
        Path source = Files.writeString(root.resolve("source.txt"), "deep");
        store.put("files/acct_1/file-a", source, 4, "text/plain");

        assertThrows(BlobStoreException.NotFound.class, () -> store.open("files/acct_1"));
        store.delete("files/acct_1");

        try (InputStream in = store.open("files/acct_1/file-a")) {
            assertArrayEquals("deep".getBytes(StandardCharsets.UTF_8), in.readAllBytes());
        }
    }
}
