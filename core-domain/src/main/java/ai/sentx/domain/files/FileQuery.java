package ai.sentx.domain.files;

import ai.sentx.domain.AccountId;
import java.util.Objects;

/**
 * One page of an account's live files.
 *
 * @param purpose    only files with this purpose, or {@code null} for all
 * @param descending newest first (the default) or oldest first; ties by id in the same direction
 * @param after      a file id: the page starts after it in this order; {@code null} for the first page.
 *                   An id that is unknown, foreign or expired gives an empty page.
 * @param limit      1..10000
 */
public record FileQuery(AccountId account, String purpose, boolean descending, String after, int limit) {
    public FileQuery {
        Objects.requireNonNull(account, "account");
        if (limit < 1 || limit > 10_000) throw new IllegalArgumentException("limit must be 1..10000");
    }
}
