package ai.sentx.application;

import ai.sentx.domain.AccountId;
import ai.sentx.domain.Failure;
import ai.sentx.domain.FailureException;
import ai.sentx.domain.Problem;
import ai.sentx.domain.files.StoredFile;
import ai.sentx.port.FileCatalog;
import java.time.Clock;

/**
 * {@code GET /v1/files/{id}}, scoped to the calling account (CONTRACT §8): another account's id,
 * an unknown id and an expired file are all {@code 404 file_not_found}.
 */
public final class ShowFile {
    private final FileCatalog catalog;
    private final Clock clock;

    public ShowFile(FileCatalog catalog, Clock clock) {
        this.catalog = catalog;
        this.clock = clock;
    }

    /** @throws FailureException {@code file_not_found} */
    public StoredFile show(AccountId account, String fileId) {
        return catalog.find(account, fileId, clock.instant()).orElseThrow(() -> notFound(fileId));
    }

    static FailureException notFound(String fileId) {
        String cut = fileId.length() > 100 ? fileId.substring(0, 100) + "..." : fileId;
        String printable = cut.codePoints().filter(cp -> !Character.isISOControl(cp))
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return Failure.of(Problem.FILE_NOT_FOUND, "No such file: " + printable + ".", "file_id").exception();
    }
}
