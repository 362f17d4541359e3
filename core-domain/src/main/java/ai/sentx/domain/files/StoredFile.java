package ai.sentx.domain.files;

import ai.sentx.domain.AccountId;
import java.time.Instant;
import java.util.Objects;

/**
 * An uploaded file's metadata (CONTRACT §8). The bytes live in the blob store under
 * {@link #blobKey()}.
 *
 * @param id        {@code file-...}
 * @param bytes     exact size in bytes, 1..{@link FileRules#MAX_FILE_BYTES}
 * @param createdAt whole seconds
 * @param expiresAt {@code createdAt} + 30 days
 * @param filename  as uploaded (never {@code null}; a default when the client sent none)
 * @param sha256    lower-case hex of the bytes' SHA-256 (dedupe key per account)
 */
public record StoredFile(String id, AccountId account, long bytes, Instant createdAt, Instant expiresAt,
                         String filename, String purpose, String sha256, FileFormat format) {
    public StoredFile {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(filename, "filename");
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(format, "format");
        if (bytes < 1) throw new IllegalArgumentException("bytes must be positive");
    }

    /** Whether the file is gone at {@code now} (expiry is exclusive: at {@code expiresAt} it has expired). */
    public boolean expiredAt(Instant now) {
        return !now.isBefore(expiresAt);
    }

    /** Where the bytes are kept: {@code files/<account>/<id>}. */
    public String blobKey() {
        return blobKey(account, id);
    }

    /** The blob key of file {@code id} of {@code account}. */
    public static String blobKey(AccountId account, String id) {
        return "files/" + account.value() + "/" + id;
    }
}
