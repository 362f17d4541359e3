package ai.sentx.port;

import ai.sentx.domain.files.FileFormat;
import java.util.Set;

/** A model that completes chats (built-in, OpenAI-compatible upstream, Bedrock). */
public interface ModelBackend {
    /** The output budget when a request names none (CONTRACT §6: 16,384 unless configured). */
    long maxOutputTokens();

    /**
     * The exact number of prompt tokens {@code request} will cost, attachments included; used to
     * size the hold before the call. Never negative; must not call the model.
     */
    long countPromptTokens(ModelRequest request);

    /**
     * Bounds of {@link #countPromptTokens} that cost less to find than the count itself (a
     * tokenizer's count of a text is at most its UTF-8 length). The hold is sized from them when
     * every count in the range gives the same hold; the exact count is made only when it does not.
     * By default the exact count. Never negative; must not call the model.
     */
    default PromptTokenRange promptTokenRange(ModelRequest request) {
        return PromptTokenRange.exactly(countPromptTokens(request));
    }

    /** Counts the tokens of a piece of generated text (to bill a cancelled call). */
    long countTokens(String text);

    /**
     * Starts a call. Returns once the backend accepted it (events then arrive through
     * {@link ModelStream#next}).
     *
     * @throws ModelBackendException if the call could not be started
     */
    ModelStream open(ModelRequest request) throws ModelBackendException;

    /**
     * The file formats this backend reads itself (documents, video) from their bytes, rather than
     * as extracted text. A video format not listed here is {@code 400 unsupported_content}.
     */
    default Set<FileFormat> nativeFormats() {
        return Set.of();
    }

    /** The largest file this backend takes natively; larger documents go as extracted text. */
    default long maxNativeBytes() {
        return 0;
    }

    /** Whether it takes images (vision input, and page images of PDFs). */
    default boolean acceptsImages() {
        return true;
    }
}
