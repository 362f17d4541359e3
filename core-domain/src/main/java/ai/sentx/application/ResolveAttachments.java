package ai.sentx.application;

import ai.sentx.domain.AccountId;
import ai.sentx.domain.Failure;
import ai.sentx.domain.FailureException;
import ai.sentx.domain.Problem;
import ai.sentx.domain.chat.ChatMessage;
import ai.sentx.domain.chat.ContentPart;
import ai.sentx.domain.chat.DataUrls;
import ai.sentx.domain.files.ExtractedDocument;
import ai.sentx.domain.files.FileFormat;
import ai.sentx.domain.files.FileRules;
import ai.sentx.domain.files.StoredFile;
import ai.sentx.port.BlobStore;
import ai.sentx.port.BlobStoreException;
import ai.sentx.port.DocumentReader;
import ai.sentx.port.FileCatalog;
import ai.sentx.port.FormatDetector;
import ai.sentx.port.ModelBackend;
import ai.sentx.port.UnreadableDocumentException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the files a chat request names into model input (CONTRACT §8): {@code input_file} /
 * {@code file{file_id}} from the account's catalogue and inline {@code file{file_data}} judged from
 * its bytes. Images become vision input; pdf, docx, xlsx, csv, txt and md become text (plus page
 * images of PDFs, plus the bytes for a backend that reads the format itself); video goes only to
 * a backend that takes it. Runs before anything is held or billed.
 */
public final class ResolveAttachments {
    private final FileCatalog catalog;
    private final BlobStore blobs;
    private final FormatDetector formats;
    private final DocumentReader documents;
    private final ModelBackend backend;
    private final Clock clock;

    /** Without a Files API: every {@code file_id} is unknown; inline documents are not readable. */
    public static ResolveAttachments none(ModelBackend backend, Clock clock) {
        return new ResolveAttachments(null, null, null, null, backend, clock);
    }

    public ResolveAttachments(FileCatalog catalog, BlobStore blobs, FormatDetector formats, DocumentReader documents,
                              ModelBackend backend, Clock clock) {
        this.catalog = catalog;
        this.blobs = blobs;
        this.formats = formats;
        this.documents = documents;
        this.backend = backend;
        this.clock = clock;
    }

    /**
     * {@code messages} with every file part replaced by what the model receives.
     *
     * @param firstClientMessage the index of the client's first message in {@code messages} (1 when
     *                           the platform's safety message comes first), for error params
     *
     * @throws FailureException {@code file_not_found}, {@code invalid_file_format} or {@code unsupported_content}
     */
    public List<ChatMessage> resolve(AccountId account, List<ChatMessage> messages, int firstClientMessage) {
        Map<String, StoredFile> stored = lookUp(account, messages, firstClientMessage);
        Map<String, ContentPart> resolvedById = new HashMap<>();
        List<ChatMessage> out = null;
        for (int i = 0; i < messages.size(); i++) {
            ChatMessage m = messages.get(i);
            List<ContentPart> parts = null;
            for (int j = 0; j < m.parts().size(); j++) {
                ContentPart part = m.parts().get(j);
                ContentPart resolved = switch (part) {
                    case ContentPart.FileRef ref -> {
                        ContentPart known = resolvedById.get(ref.fileId());
                        if (known == null) {
                            known = stored(stored.get(ref.fileId()), param(i - firstClientMessage, j) + ".file_id");
                            resolvedById.put(ref.fileId(), known);
                        }
                        yield known;
                    }
                    case ContentPart.FileData data ->
                            inline(data, param(i - firstClientMessage, j) + ".file.file_data");
                    default -> part;
                };
                if (resolved != part && parts == null) parts = new ArrayList<>(m.parts().subList(0, j));
                if (parts != null) parts.add(resolved);
            }
            if (parts != null && out == null) out = new ArrayList<>(messages.subList(0, i));
            if (out != null) {
                out.add(parts == null ? m : new ChatMessage(m.role(), parts, m.name(), m.toolCallId(), m.toolCallsJson()));
            }
        }
        return out == null ? messages : out;
    }

    private static String param(int message, int part) {
        return "messages[" + message + "].content[" + part + "]";
    }

    /**
     * Checks the request's attachments before any bytes are read: at most
     * {@link FileRules#MAX_ATTACHMENTS_PER_REQUEST} files (an id named twice counts once), every
     * {@code file_id} the account's, and all of them together at most {@link FileRules#MAX_ATTACHED_BYTES}.
     *
     * @return the catalogue entry of each file id named
     */
    private Map<String, StoredFile> lookUp(AccountId account, List<ChatMessage> messages, int firstClientMessage) {
        Map<String, StoredFile> files = new LinkedHashMap<>();
        Map<String, String> params = new LinkedHashMap<>();
        int inline = 0;
        long inlineBytes = 0;
        for (int i = 0; i < messages.size(); i++) {
            List<ContentPart> parts = messages.get(i).parts();
            for (int j = 0; j < parts.size(); j++) {
                if (parts.get(j) instanceof ContentPart.FileRef ref) {
                    params.putIfAbsent(ref.fileId(), param(i - firstClientMessage, j) + ".file_id");
                } else if (parts.get(j) instanceof ContentPart.FileData data) {
                    inline++;
                    inlineBytes += data.data().length() / 4L * 3;
                }
            }
        }
        if (params.isEmpty() && inline == 0) return files;
        if (params.size() + inline > FileRules.MAX_ATTACHMENTS_PER_REQUEST) {
            throw Failure.of(Problem.INVALID_PARAMETER, "A request may attach at most "
                    + FileRules.MAX_ATTACHMENTS_PER_REQUEST + " files; this one attaches " + (params.size() + inline)
                    + ".", "messages").exception();
        }
        long total = inlineBytes;
        for (Map.Entry<String, String> e : params.entrySet()) {
            StoredFile file = catalog == null ? null : catalog.find(account, e.getKey(), clock.instant()).orElse(null);
            if (file == null) {
                throw Failure.of(Problem.ATTACHED_FILE_NOT_FOUND, "No such file: " + e.getKey() + ".", e.getValue())
                        .exception();
            }
            files.put(e.getKey(), file);
            total += file.bytes();
        }
        if (total > FileRules.MAX_ATTACHED_BYTES) {
            throw Failure.of(Problem.INVALID_PARAMETER, "The files of one request may hold at most 64 MB together; "
                    + "these hold " + total + " bytes.", "messages").exception();
        }
        return files;
    }

    private ContentPart stored(StoredFile file, String param) {
        String fileId = file.id();
        Path spooled = null;
        try {
            spooled = Files.createTempFile("sentx-attachment-", ".bin");
            try (InputStream in = blobs.open(file.blobKey())) {
                Files.copy(in, spooled, StandardCopyOption.REPLACE_EXISTING);
            }
            return part(file.format(), file.filename(), spooled, file.bytes(), param);
        } catch (BlobStoreException.NotFound e) {
            throw Failure.of(Problem.ATTACHED_FILE_NOT_FOUND, "No such file: " + fileId + ".", param).exception();
        } catch (IOException e) {
            throw new UncheckedIOException("could not spool attachment " + file.id(), e);
        } finally {
            deleteQuietly(spooled);
        }
    }

    private ContentPart inline(ContentPart.FileData data, String param) {
        DataUrls.DataUrl url = DataUrls.parse(data.data(), param);
        byte[] bytes;
        try {
            bytes = DataUrls.decodeBase64(url.payload());
        } catch (IllegalArgumentException e) {
            throw Failure.of(Problem.INVALID_FILE_FORMAT, "The inline file is not valid base64.", param).exception();
        }
        if (bytes.length == 0) throw Failure.of(Problem.INVALID_FILE_FORMAT, "The inline file is empty.", param).exception();
        if (bytes.length > FileRules.MAX_FILE_BYTES) {
            throw Failure.of(Problem.FILE_TOO_LARGE, "Inline files may be at most 25 MB.", param).exception();
        }
        if (formats == null) {
            throw Failure.of(Problem.UNSUPPORTED_CONTENT, "Inline documents are not supported by this server.", param)
                    .exception();
        }
        Path spooled = null;
        try {
            spooled = Files.createTempFile("sentx-inline-", ".bin");
            Files.write(spooled, bytes);
            bytes = null;
            FileFormat format = formats.detect(spooled, data.filename()).orElseThrow(() -> Failure.of(
                    Problem.INVALID_FILE_FORMAT, "The inline file's bytes are not one of the supported formats.", param)
                    .exception());
            String name = data.filename() == null || data.filename().isBlank()
                    ? "attachment." + format.extension() : UploadFile.filename(data.filename(), format);
            return part(format, name, spooled, Files.size(spooled), param);
        } catch (IOException e) {
            throw new UncheckedIOException("could not spool an inline attachment", e);
        } finally {
            deleteQuietly(spooled);
        }
    }

    private ContentPart part(FileFormat format, String filename, Path file, long size, String param) throws IOException {
        boolean native_ = backend.nativeFormats().contains(format) && size <= backend.maxNativeBytes();
        return switch (format.kind()) {
            case IMAGE -> {
                if (!backend.acceptsImages()) {
                    throw Failure.of(Problem.UNSUPPORTED_CONTENT, "This model does not accept images.", param).exception();
                }
                yield new ContentPart.Image(format.mediaType(), Files.readAllBytes(file));
            }
            case VIDEO -> {
                if (!native_) {
                    throw Failure.of(Problem.UNSUPPORTED_CONTENT, backend.nativeFormats().contains(format)
                            ? "This video is larger than the model accepts (" + backend.maxNativeBytes() + " bytes)."
                            : "This model does not accept video.", param).exception();
                }
                yield new ContentPart.Video(format, filename, Files.readAllBytes(file));
            }
            case DOCUMENT, TEXT -> {
                if (documents == null) {
                    throw Failure.of(Problem.UNSUPPORTED_CONTENT, "Documents are not supported by this server.", param)
                            .exception();
                }
                ExtractedDocument doc;
                try {
                    doc = documents.read(format, file, format == FileFormat.PDF && backend.acceptsImages());
                } catch (UnreadableDocumentException e) {
                    throw Failure.of(Problem.INVALID_FILE_FORMAT, e.getMessage(), param).exception();
                }
                String text = doc.truncated() ? doc.text() + "\n[The rest of this file was cut: it is too long.]" : doc.text();
                yield new ContentPart.Document(format, filename, text, doc.pageImages(),
                        native_ ? Files.readAllBytes(file) : null);
            }
        };
    }

    private static void deleteQuietly(Path p) {
        if (p == null) return;
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // A temp file left behind is cleaned with the temp directory.
        }
    }
}
