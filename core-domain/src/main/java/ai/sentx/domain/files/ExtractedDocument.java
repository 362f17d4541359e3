package ai.sentx.domain.files;

import ai.sentx.domain.chat.ContentPart;
import java.util.List;
import java.util.Objects;

/**
 * What a document reader made of a document: its text and, when asked for, images of its first
 * pages (PDF only).
 *
 * @param text       the document's text in reading order (sheets and tables as CSV-like lines)
 * @param truncated  whether the text was cut at the reader's limit
 * @param pageImages rendered pages, in order; empty when not asked for or not a PDF
 */
public record ExtractedDocument(String text, boolean truncated, List<ContentPart.Image> pageImages) {
    public ExtractedDocument {
        Objects.requireNonNull(text, "text");
        pageImages = List.copyOf(pageImages);
    }
}
