package ai.sentx.domain.files;

import java.util.List;

/** Files in the query's order; {@code hasMore} when a further page exists. */
public record FilePage(List<StoredFile> data, boolean hasMore) {
    public FilePage {
        data = List.copyOf(data);
    }
}
