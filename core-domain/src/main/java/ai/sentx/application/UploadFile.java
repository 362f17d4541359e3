package ai.sentx.application;

import ai.sentx.domain.AccountId;
import ai.sentx.domain.Failure;
import ai.sentx.domain.Problem;
import ai.sentx.domain.files.FileFormat;
import ai.sentx.domain.files.FileRules;
import ai.sentx.domain.files.ScanVerdict;
import ai.sentx.domain.files.StoredFile;
import ai.sentx.port.BlobStore;
import ai.sentx.port.FileCatalog;
import ai.sentx.port.FormatDetector;
import ai.sentx.port.IdSource;
import ai.sentx.port.MalwareScanner;
import ai.sentx.port.ScannerUnavailableException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code POST /v1/files} (CONTRACT §8): dedupe by SHA-256, check the format from the bytes, scan
 * for malware, then store the bytes and add the file to the account's catalogue within its caps.
 * Nothing is stored for a refused upload.
 */
public final class UploadFile {
    private static final System.Logger LOG = System.getLogger(UploadFile.class.getName());

    private final FileCatalog catalog;
    private final BlobStore blobs;
    private final FormatDetector formats;
    private final MalwareScanner scanner;
    private final ExpiredFiles expired;
    private final IdSource ids;
    private final Clock clock;

    public UploadFile(FileCatalog catalog, BlobStore blobs, FormatDetector formats, MalwareScanner scanner,
                      IdSource ids, Clock clock) {
        this.catalog = catalog;
        this.blobs = blobs;
        this.formats = formats;
        this.scanner = scanner;
        this.expired = new ExpiredFiles(catalog, blobs);
        this.ids = ids;
        this.clock = clock;
    }

    /**
     * An upload spooled to a local file by the transport.
     *
     * @param filename the client's name, or {@code null}
     * @param bytes    the spooled file's exact size
     * @param sha256   lower-case hex SHA-256 of the spooled bytes
     */
    public record Upload(String purpose, String filename, Path spooled, long bytes, String sha256) {
        public Upload {
            Objects.requireNonNull(purpose, "purpose");
            Objects.requireNonNull(spooled, "spooled");
            Objects.requireNonNull(sha256, "sha256");
        }
    }

    /**
     * Stores {@code upload} for {@code account}, or returns the account's file with the same bytes.
     * The caller deletes the spooled file afterwards.
     *
     * @throws ai.sentx.domain.FailureException {@code file_too_large}, {@code invalid_file_format},
     *         {@code av_hit}, {@code max_files_reached}, {@code storage_quota_exceeded}, or
     *         {@code scanner_unavailable}
     */
    public StoredFile upload(AccountId account, Upload upload) {
        if (upload.bytes() > FileRules.MAX_FILE_BYTES) {
            throw Failure.of(Problem.FILE_TOO_LARGE, "Files may be at most 25 MB (26,214,400 bytes); this one has "
                    + upload.bytes() + " bytes.", "file").exception();
        }
        if (upload.bytes() == 0) {
            throw Failure.of(Problem.INVALID_FILE_FORMAT, "The file is empty.", "file").exception();
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        // Expired files no longer count: free them before the caps are checked.
        expired.sweep(account, now);
        Optional<StoredFile> same = catalog.findBySha256(account, upload.sha256(), now);
        if (same.isPresent()) return same.get();

        FileFormat format = formats.detect(upload.spooled(), upload.filename()).orElseThrow(() -> Failure.of(
                Problem.INVALID_FILE_FORMAT, "The file's bytes are not one of the supported formats: png, jpeg, "
                        + "webp, gif, mp4, webm, mov, pdf, docx, xlsx, csv, txt, md.", "file").exception());
        ScanVerdict verdict;
        try {
            verdict = scanner.scan(upload.spooled());
        } catch (ScannerUnavailableException e) {
            LOG.log(System.Logger.Level.WARNING, "malware scan failed: " + e.getMessage());
            throw Failure.of(Problem.SCANNER_UNAVAILABLE,
                    "The file could not be scanned for malware right now. Retry in a moment.").exception();
        }
        if (verdict instanceof ScanVerdict.Infected infected) {
            LOG.log(System.Logger.Level.INFO, "upload refused by the malware scanner: " + infected.signature());
            throw Failure.of(Problem.AV_HIT, "The file failed the antivirus scan.", "file").exception();
        }

        String name = filename(upload.filename(), format);
        StoredFile file = new StoredFile(ids.next("file-"), account, upload.bytes(), now,
                now.plus(FileRules.RETENTION), name, upload.purpose(), upload.sha256(), format);
        // Bytes first: a catalogue entry never points at missing bytes. A refused add deletes them again.
        blobs.put(file.blobKey(), upload.spooled(), upload.bytes(), format.mediaType());
        FileCatalog.AddResult result;
        try {
            result = catalog.add(file, FileRules.MAX_LIVE_FILES, FileRules.MAX_STORED_BYTES);
        } catch (RuntimeException e) {
            // The add may have committed before it failed: then the bytes belong to a live file.
            if (committed(file)) return file;
            deleteQuietly(file);
            throw e;
        }
        return switch (result) {
            case FileCatalog.AddResult.Added added -> added.file();
            case FileCatalog.AddResult.Duplicate duplicate when duplicate.existing().id().equals(file.id()) -> file;
            case FileCatalog.AddResult.Duplicate duplicate -> {
                deleteQuietly(file);
                yield duplicate.existing();
            }
            case FileCatalog.AddResult.TooManyFiles ignored -> {
                deleteQuietly(file);
                throw Failure.of(Problem.MAX_FILES_REACHED, "You have " + FileRules.MAX_LIVE_FILES
                        + " files, the most an account may keep. Delete one to upload another.").exception();
            }
            case FileCatalog.AddResult.OverQuota ignored -> {
                deleteQuietly(file);
                throw Failure.of(Problem.STORAGE_QUOTA_EXCEEDED, "This file would take your stored files over "
                        + "500 MB. Delete files to make room.").exception();
            }
        };
    }

    private boolean committed(StoredFile file) {
        try {
            return catalog.find(file.account(), file.id(), file.createdAt()).isPresent();
        } catch (RuntimeException e) {
            // Unknown: keep the bytes (an orphan is removed by the bucket's lifecycle rule; a
            // catalogue entry without bytes would be a broken file).
            return true;
        }
    }

    private void deleteQuietly(StoredFile file) {
        try {
            blobs.delete(file.blobKey());
        } catch (RuntimeException e) {
            // The bucket's lifecycle rule removes orphaned bytes after the retention period.
            LOG.log(System.Logger.Level.WARNING, "could not delete the bytes of refused upload " + file.id());
        }
    }

    /** The client's file name without any path, or {@code upload.<ext>} when it sent none. */
    static String filename(String sent, FileFormat format) {
        if (sent != null) {
            String name = sent.substring(Math.max(sent.lastIndexOf('/'), sent.lastIndexOf('\\')) + 1).strip();
            StringBuilder clean = new StringBuilder(name.length());
            name.codePoints().filter(cp -> !Character.isISOControl(cp)).forEach(clean::appendCodePoint);
            if (!clean.isEmpty()) {
                return clean.length() > FileRules.MAX_NAME_CHARS ? clean.substring(0, FileRules.MAX_NAME_CHARS)
                        : clean.toString();
            }
        }
        return "upload." + format.extension();
    }
}
