package ai.sentx.port;

import ai.sentx.domain.files.ExtractedDocument;
import ai.sentx.domain.files.FileFormat;
import java.nio.file.Path;

/**
 * Turns a document (pdf, docx, xlsx, csv, txt, md) into model input (CONTRACT §8). Bounded in
 * time and memory for any input: decompression bombs, deeply nested or broken PDFs end in
 * {@link UnreadableDocumentException}, never an {@link OutOfMemoryError}.
 */
public interface DocumentReader {
    /**
     * Reads {@code file}, known to be of {@code format} (a {@link FileFormat.Kind#DOCUMENT} or
     * {@link FileFormat.Kind#TEXT} format).
     *
     * @param pageImages whether to render images of the first pages too (PDF only)
     * @throws UnreadableDocumentException if the document is broken, hostile, or too costly to read
     */
    ExtractedDocument read(FileFormat format, Path file, boolean pageImages) throws UnreadableDocumentException;
}
