package ai.sentx.application;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sentx.domain.AccountId;
import ai.sentx.domain.FailureException;
import ai.sentx.domain.Problem;
import ai.sentx.domain.files.FileFormat;
import ai.sentx.domain.files.FilePage;
import ai.sentx.domain.files.FileQuery;
import ai.sentx.domain.files.FileRules;
import ai.sentx.domain.files.ScanVerdict;
import ai.sentx.domain.files.StoredFile;
import ai.sentx.port.BlobStore;
import ai.sentx.port.BlobStoreException;
import ai.sentx.port.FileCatalog;
import ai.sentx.port.ScannerUnavailableException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The order of an upload's steps: what is refused before anything is stored, and that refused
 * adds leave no bytes behind. The adapters themselves are proven by their contracts and the
 * end-to-end suites; here the ports are small recording stand-ins.
 */
class UploadFileTest {
    private static final AccountId ACCOUNT = new AccountId("acct_1");
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-29T12:00:00.123Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    private final Blobs blobs = new Blobs();
    private final Catalog catalog = new Catalog();
    private final AtomicInteger ids = new AtomicInteger();

    private UploadFile upload(Optional<FileFormat> format, ScanVerdict verdict) {
        return new UploadFile(catalog, blobs, (file, name) -> format, file -> verdict,
                prefix -> prefix + ids.incrementAndGet(), CLOCK);
    }

    private UploadFile.Upload spooled(String name, String content) {
        try {
            Path p = Files.writeString(dir.resolve("spool-" + ids.get() + "-" + name), content);
            return new UploadFile.Upload("assistants", name, p, Files.size(p), "sha-" + content.hashCode());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aCleanFile_isStored_withWholeSecondTimes_andA30DayExpiry() {
        StoredFile f = upload(Optional.of(FileFormat.TXT), new ScanVerdict.Clean()).upload(ACCOUNT, spooled("a.txt", "hi"));
        assertEquals(Instant.parse("2026-11-29T12:00:00Z"), f.createdAt());
        assertEquals(f.createdAt().plus(FileRules.RETENTION), f.expiresAt());
        assertEquals("a.txt", f.filename());
        assertEquals(List.of(f.blobKey()), List.copyOf(blobs.stored.keySet()));
    }

    @Test
    void malware_isRefusedWith422_andNothingIsStored() {
        FailureException e = assertThrows(FailureException.class,
                () -> upload(Optional.of(FileFormat.TXT), new ScanVerdict.Infected("Eicar-Test-Signature"))
                        .upload(ACCOUNT, spooled("e.txt", "X5O")));
        assertEquals(Problem.AV_HIT, e.failure().problem());
        assertTrue(blobs.stored.isEmpty());
        assertTrue(catalog.files.isEmpty());
    }

    @Test
    void anUnknownFormat_isRefusedBeforeTheScan() {
        UploadFile u = new UploadFile(catalog, blobs, (file, name) -> Optional.empty(),
                file -> { throw new AssertionError("scanned a file of no supported format"); },
                prefix -> prefix + 1, CLOCK);
        assertEquals(Problem.INVALID_FILE_FORMAT,
                assertThrows(FailureException.class, () -> u.upload(ACCOUNT, spooled("x.exe", "MZ"))).failure().problem());
        assertTrue(blobs.stored.isEmpty());
    }

    @Test
    void anEmptyFile_isAnInvalidFormat_andAnOversizedOne413() {
        UploadFile u = upload(Optional.of(FileFormat.TXT), new ScanVerdict.Clean());
        assertEquals(Problem.INVALID_FILE_FORMAT,
                assertThrows(FailureException.class, () -> u.upload(ACCOUNT, spooled("e.txt", ""))).failure().problem());
        UploadFile.Upload big = new UploadFile.Upload("assistants", "b.txt", dir, FileRules.MAX_FILE_BYTES + 1, "sha");
        assertEquals(Problem.FILE_TOO_LARGE,
                assertThrows(FailureException.class, () -> u.upload(ACCOUNT, big)).failure().problem());
    }

    @Test
    void aScannerThatCannotAnswer_refusesTheUpload_retryably() {
        UploadFile u = new UploadFile(catalog, blobs, (file, name) -> Optional.of(FileFormat.TXT),
                file -> { throw new ScannerUnavailableException("clamd timed out"); }, prefix -> prefix + 1, CLOCK);
        assertEquals(Problem.SCANNER_UNAVAILABLE,
                assertThrows(FailureException.class, () -> u.upload(ACCOUNT, spooled("a.txt", "hi"))).failure().problem());
        assertTrue(blobs.stored.isEmpty());
    }

    @Test
    void aRefusedAdd_deletesTheBytesItStored() {
        catalog.next = new FileCatalog.AddResult.OverQuota();
        FailureException e = assertThrows(FailureException.class,
                () -> upload(Optional.of(FileFormat.TXT), new ScanVerdict.Clean()).upload(ACCOUNT, spooled("a.txt", "hi")));
        assertEquals(Problem.STORAGE_QUOTA_EXCEEDED, e.failure().problem());
        assertTrue(blobs.stored.isEmpty());
        assertEquals(1, blobs.deletes.get());

        catalog.next = new FileCatalog.AddResult.TooManyFiles();
        assertEquals(Problem.MAX_FILES_REACHED, assertThrows(FailureException.class,
                () -> upload(Optional.of(FileFormat.TXT), new ScanVerdict.Clean()).upload(ACCOUNT, spooled("b.txt", "ho")))
                .failure().problem());
        assertTrue(blobs.stored.isEmpty());
    }

    @Test
    void aDuplicateFoundAtAddTime_returnsTheExistingFile_andDropsTheNewBytes() {
        StoredFile existing = upload(Optional.of(FileFormat.TXT), new ScanVerdict.Clean()).upload(ACCOUNT, spooled("a.txt", "hi"));
        catalog.hideBySha = true;
        StoredFile again = upload(Optional.of(FileFormat.TXT), new ScanVerdict.Clean()).upload(ACCOUNT, spooled("a.txt", "hi"));
        assertEquals(existing, again);
        assertEquals(List.of(existing.blobKey()), List.copyOf(blobs.stored.keySet()));
    }

    @Test
    void anAddThatCommittedButThrew_keepsTheBytes_andReturnsTheFile() {
        catalog.commitThenThrow = true;
        StoredFile f = upload(Optional.of(FileFormat.TXT), new ScanVerdict.Clean()).upload(ACCOUNT, spooled("a.txt", "hi"));
        assertEquals(List.of(f.blobKey()), List.copyOf(blobs.stored.keySet()));
        assertEquals(List.of(f), catalog.files);
    }

    @Test
    void anAddThatFailedWithoutCommitting_deletesTheBytes_andFails() {
        catalog.throwWithoutCommit = true;
        assertThrows(IllegalStateException.class,
                () -> upload(Optional.of(FileFormat.TXT), new ScanVerdict.Clean()).upload(ACCOUNT, spooled("a.txt", "hi")));
        assertTrue(blobs.stored.isEmpty());
    }

    @Test
    void fileNames_loseTheirPath_andControlCharacters_andDefaultFromTheFormat() {
        assertEquals("report.pdf", UploadFile.filename("C:\\Users\\me\\report.pdf", FileFormat.PDF));
        assertEquals("report.pdf", UploadFile.filename("/tmp/x/report.pdf", FileFormat.PDF));
        assertEquals("ab.txt", UploadFile.filename("a\u0000b\n.txt", FileFormat.TXT));
        assertEquals("upload.pdf", UploadFile.filename(null, FileFormat.PDF));
        assertEquals("upload.md", UploadFile.filename("  ", FileFormat.MD));
        assertEquals(FileRules.MAX_NAME_CHARS, UploadFile.filename("n".repeat(2000), FileFormat.TXT).length());
    }

    /** Bytes by key, counting deletes. */
    static final class Blobs implements BlobStore {
        final Map<String, byte[]> stored = new ConcurrentHashMap<>();
        final AtomicInteger deletes = new AtomicInteger();
        final AtomicInteger opens = new AtomicInteger();

        @Override
        public void put(String key, Path source, long length, String contentType) {
            try {
                stored.put(key, Files.readAllBytes(source));
            } catch (IOException e) {
                throw new BlobStoreException("read failed", e);
            }
        }

        @Override
        public InputStream open(String key) {
            opens.incrementAndGet();
            byte[] b = stored.get(key);
            if (b == null) throw new BlobStoreException.NotFound(key);
            return new ByteArrayInputStream(b);
        }

        @Override
        public void delete(String key) {
            deletes.incrementAndGet();
            stored.remove(key);
        }
    }

    /** A catalogue that adds unless told to answer otherwise once. */
    static final class Catalog implements FileCatalog {
        final List<StoredFile> files = new ArrayList<>();
        AddResult next;
        boolean hideBySha;
        boolean commitThenThrow;
        boolean throwWithoutCommit;

        @Override
        public AddResult add(StoredFile file, int maxFiles, long maxBytes) {
            if (throwWithoutCommit) throw new IllegalStateException("store unavailable");
            if (commitThenThrow) {
                files.add(file);
                throw new IllegalStateException("store unavailable after the write");
            }
            if (next != null) {
                AddResult r = next;
                next = null;
                return r;
            }
            for (StoredFile f : files) {
                if (f.sha256().equals(file.sha256())) return new AddResult.Duplicate(f);
            }
            files.add(file);
            return new AddResult.Added(file);
        }

        @Override
        public Optional<StoredFile> find(AccountId account, String fileId, Instant now) {
            return files.stream().filter(f -> f.id().equals(fileId)).findFirst();
        }

        @Override
        public Optional<StoredFile> findBySha256(AccountId account, String sha256, Instant now) {
            if (hideBySha) return Optional.empty();
            return files.stream().filter(f -> f.sha256().equals(sha256)).findFirst();
        }

        @Override
        public FilePage list(FileQuery query, Instant now) {
            return new FilePage(files, false);
        }

        @Override
        public Optional<StoredFile> remove(AccountId account, String fileId) {
            Optional<StoredFile> f = find(account, fileId, null);
            f.ifPresent(files::remove);
            return f;
        }

        @Override
        public List<StoredFile> expired(AccountId account, Instant now, int max) {
            return List.of();
        }

        @Override
        public List<StoredFile> expired(Instant now, int max) {
            return List.of();
        }
    }
}
