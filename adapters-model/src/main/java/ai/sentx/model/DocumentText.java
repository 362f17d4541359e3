package ai.sentx.model;

import ai.sentx.domain.chat.ContentPart;

/** How a document reaches a model that reads text: its name on a line of its own, then its text. */
public final class DocumentText {
    private DocumentText() {
    }

    /** The model input for {@code document} (also what its prompt tokens are counted from). */
    public static String of(ContentPart.Document document) {
        return "[file " + document.filename() + "]\n" + document.text();
    }
}
