package ai.sentx.domain.files;

import java.time.Duration;

/** The Files API's caps and retention (CONTRACT §7, §8). */
public final class FileRules {
    /** Per file: 25 MB (25 × 1024 × 1024 bytes, as the contract's other MB limits). */
    public static final long MAX_FILE_BYTES = 25L * 1024 * 1024;
    /** Stored per account, live files only. */
    public static final long MAX_STORED_BYTES = 500L * 1024 * 1024;
    /** Live files per account. */
    public static final int MAX_LIVE_FILES = 100;
    /** How long a file lives after its upload. */
    public static final Duration RETENTION = Duration.ofDays(30);
    /** Files (by id or inline) one chat request may attach; the same id counts once. */
    public static final int MAX_ATTACHMENTS_PER_REQUEST = 20;
    /** The bytes of all files one chat request attaches, together. */
    public static final long MAX_ATTACHED_BYTES = 64L * 1024 * 1024;
    /** Longest accepted {@code purpose} and file name. */
    public static final int MAX_NAME_CHARS = 512;

    private FileRules() {
    }
}
