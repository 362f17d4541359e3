package ai.sentx.port;

import ai.sentx.domain.AccountId;
import ai.sentx.domain.files.FilePage;
import ai.sentx.domain.files.FileQuery;
import ai.sentx.domain.files.StoredFile;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Uploaded files' metadata, per account, with the account's caps kept exact under concurrency
 * (CONTRACT §7, §8). Only live files count: every read hides files that expired before
 * {@code now}, and an expired file still counts against the caps until {@link #remove} frees it.
 * Implementations throw an unchecked exception when the store is unavailable.
 */
public interface FileCatalog {
    /** The outcome of {@link #add}. */
    sealed interface AddResult {
        /** Stored; it now counts against the caps. */
        record Added(StoredFile file) implements AddResult {
        }

        /** The account already has a live file with the same SHA-256: nothing was stored. */
        record Duplicate(StoredFile existing) implements AddResult {
        }

        /** The account already has {@code maxFiles} files: nothing was stored. */
        record TooManyFiles() implements AddResult {
        }

        /** The file would take the account over {@code maxBytes}: nothing was stored. */
        record OverQuota() implements AddResult {
        }
    }

    /**
     * Adds {@code file} to its account if no file of the account has the same SHA-256 and the
     * caps allow it, atomically: of any number of concurrent adds, never more than the caps
     * admit, and of concurrent adds of the same bytes exactly one is {@code Added}.
     * A duplicate is reported before the caps are checked. An account's file with the same SHA-256
     * that had expired at {@code file.createdAt()} does not block the add: it is removed in the same
     * step (freeing its share of the caps) and the new file is {@code Added}.
     *
     * @throws IllegalArgumentException if a cap is negative or the id is already stored for other bytes
     */
    AddResult add(StoredFile file, int maxFiles, long maxBytes);

    /** File {@code fileId} of {@code account}, unless unknown, another account's, or expired at {@code now}. */
    Optional<StoredFile> find(AccountId account, String fileId, Instant now);

    /** The account's live file with these bytes, if any. */
    Optional<StoredFile> findBySha256(AccountId account, String sha256, Instant now);

    /** One page of the account's files live at {@code now}. */
    FilePage list(FileQuery query, Instant now);

    /**
     * Removes the file and frees its share of the caps (expired or not). Idempotent: concurrent
     * removes free it once.
     *
     * @return the removed file, or empty when there was none (already removed, unknown, foreign)
     */
    Optional<StoredFile> remove(AccountId account, String fileId);

    /** Up to {@code max} files of {@code account} that expired at {@code now}, oldest first. */
    List<StoredFile> expired(AccountId account, Instant now, int max);

    /** Up to {@code max} files of any account that expired at {@code now} (the sweeper's). */
    List<StoredFile> expired(Instant now, int max);
}
