package ai.sentx.application;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.sentx.domain.AccountId;
import ai.sentx.domain.FailureException;
import ai.sentx.domain.Problem;
import ai.sentx.domain.chat.ChatMessage;
import ai.sentx.domain.chat.ContentPart;
import ai.sentx.domain.files.ExtractedDocument;
import ai.sentx.domain.files.FileFormat;
import ai.sentx.domain.files.FileRules;
import ai.sentx.domain.files.StoredFile;
import ai.sentx.port.ModelBackend;
import ai.sentx.port.ModelRequest;
import ai.sentx.port.ModelStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The bounds of one request's attachments, checked before any bytes are read: a request cannot
 * make the server load more than a few files or 64 MB, and an id named twice is read once.
 */
class ResolveAttachmentsTest {
    private static final AccountId ACCOUNT = new AccountId("acct_1");
    private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");

    private final UploadFileTest.Catalog catalog = new UploadFileTest.Catalog();
    private final UploadFileTest.Blobs blobs = new UploadFileTest.Blobs();
    private final AtomicInteger reads = new AtomicInteger();
    private final ResolveAttachments resolve = new ResolveAttachments(catalog, blobs, (file, name) -> Optional.empty(),
            (format, file, pages) -> {
                reads.incrementAndGet();
                return new ExtractedDocument("text", false, List.of());
            }, new TextOnly(), Clock.fixed(NOW, ZoneOffset.UTC));

    private StoredFile file(String id, long bytes) {
        StoredFile f = new StoredFile(id, ACCOUNT, bytes, NOW, NOW.plus(FileRules.RETENTION), id + ".txt", "assistants",
                "sha-" + id, FileFormat.TXT);
        catalog.files.add(f);
        blobs.stored.put(f.blobKey(), "hello".getBytes(StandardCharsets.UTF_8));
        return f;
    }

    private static List<ChatMessage> refs(List<String> ids) {
        List<ContentPart> parts = new ArrayList<>();
        for (String id : ids) parts.add(new ContentPart.FileRef(id));
        return List.of(new ChatMessage("user", parts, null, null, null));
    }

    @Test
    void theSameFileNamedThirtyTimes_isReadOnce() {
        file("file-a", 5);
        List<ChatMessage> out = resolve.resolve(ACCOUNT, refs(Collections.nCopies(30, "file-a")), 0);
        assertEquals(30, out.getFirst().parts().size());
        assertInstanceOf(ContentPart.Document.class, out.getFirst().parts().get(29));
        assertEquals(1, blobs.opens.get());
        assertEquals(1, reads.get());
    }

    @Test
    void moreThanTwentyFiles_areRefusedBeforeAnyIsRead() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 21; i++) ids.add(file("file-" + i, 5).id());
        FailureException e = assertThrows(FailureException.class, () -> resolve.resolve(ACCOUNT, refs(ids), 0));
        assertEquals(Problem.INVALID_PARAMETER, e.failure().problem());
        assertEquals(0, blobs.opens.get());
    }

    @Test
    void filesOver64MBTogether_areRefusedBeforeAnyIsRead() {
        List<String> ids = List.of(file("file-x", FileRules.MAX_FILE_BYTES).id(), file("file-y", FileRules.MAX_FILE_BYTES).id(),
                file("file-z", FileRules.MAX_FILE_BYTES).id());
        FailureException e = assertThrows(FailureException.class, () -> resolve.resolve(ACCOUNT, refs(ids), 0));
        assertEquals(Problem.INVALID_PARAMETER, e.failure().problem());
        assertEquals(0, blobs.opens.get());
    }

    @Test
    void anUnknownIdAmongKnownOnes_isFileNotFound_withItsParam_beforeAnyIsRead() {
        file("file-a", 5);
        FailureException e = assertThrows(FailureException.class,
                () -> resolve.resolve(ACCOUNT, refs(List.of("file-a", "file-nope")), 0));
        assertEquals(Problem.ATTACHED_FILE_NOT_FOUND, e.failure().problem());
        assertEquals("messages[0].content[1].file_id", e.failure().param());
        assertEquals(0, blobs.opens.get());
    }

    /** A backend that reads everything as text. */
    private static final class TextOnly implements ModelBackend {
        @Override
        public long maxOutputTokens() {
            return 16;
        }

        @Override
        public long countPromptTokens(ModelRequest request) {
            return 1;
        }

        @Override
        public long countTokens(String text) {
            return 1;
        }

        @Override
        public ModelStream open(ModelRequest request) {
            throw new UnsupportedOperationException();
        }
    }
}
