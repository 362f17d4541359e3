package ai.sentx.model;

import ai.sentx.domain.chat.ChatMessage;
import ai.sentx.domain.chat.ContentPart;
import ai.sentx.port.ModelRequest;
import ai.sentx.port.PromptTokenRange;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts the prompt tokens of a chat request the way OpenAI accounts for chat input, with the
 * {@code o200k_base} encoding ({@link Tokenizer}).
 *
 * <p>The rule, where {@code tokens(s)} is the o200k_base token count of the text {@code s}:
 * <pre>
 * prompt_tokens = 3                                  (priming of the reply)
 *               + tokens(tools JSON)                 (when the request has tools)
 *               + for each message:
 *                     3                              (message framing)
 *                   + tokens(role)
 *                   + for each content part:
 *                         text:   tokens(text)
 *                         image:  85 + 170 × tiles   (OpenAI's high-detail rule, see ImageTokens;
 *                                                     765 when the image's size cannot be read)
 *                   + tokens(name) + 1               (when the message has a name)
 *                   + tokens(tool_call_id)           (tool messages)
 *                   + tokens(tool_calls JSON)        (assistant messages that called tools)
 * </pre>
 * Parts that never reach a model in this form count as their text representation: a file
 * reference its file id, an inline file its file name (its bytes are not read), an image URL that
 * was not decoded 765, anything else 0. Stop sequences and sampling parameters cost nothing.
 *
 * <p>The counts of role names and of system and developer texts are remembered (up to
 * {@value #REMEMBERED_TEXTS} texts of at most {@value #REMEMBERED_TEXT_CHARS} characters): the
 * platform's safety instructions and a customer's system prompt come back on every request, and
 * encoding them again is most of the cost of counting a short prompt. Customer and tool texts are
 * never kept.
 *
 * <p>Thread-safe.
 */
public final class PromptTokenCounter {
    /**
     * Video is billed by size: one token per KiB (a 25 MB video is about 25,600 tokens), a
     * deliberate over-estimate of what video models charge for the frames they sample.
     */
    static final int VIDEO_BYTES_PER_TOKEN = 1024;

    /** Tokens added to every message, and once more to prime the reply. */
    public static final long FRAMING_TOKENS = 3;
    static final int REMEMBERED_TEXTS = 256;
    static final int REMEMBERED_TEXT_CHARS = 8_192;
    private final Tokenizer tokenizer;
    private final ConcurrentHashMap<String, Integer> remembered = new ConcurrentHashMap<>();

    /**
     * @throws NullPointerException if {@code tokenizer} is null
     */
    public PromptTokenCounter(Tokenizer tokenizer) {
        this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
    }

    /**
     * The prompt tokens of {@code request}, by the rule of this class.
     *
     * @throws NullPointerException if {@code request} is null
     */
    public long count(ModelRequest request) {
        Objects.requireNonNull(request, "request");
        long total = FRAMING_TOKENS + tokens(request.toolsJson());
        for (ChatMessage message : request.messages()) {
            total += count(message);
        }
        return total;
    }

    /**
     * Bounds of {@link #count(ModelRequest)} found without encoding the customer's texts: a text of
     * {@code n} UTF-8 bytes is at least 1 and at most {@code n} tokens (every token stands for at
     * least one byte); remembered texts (roles, system texts) and every other part count exactly.
     *
     * @throws NullPointerException if {@code request} is null
     */
    public PromptTokenRange range(ModelRequest request) {
        Objects.requireNonNull(request, "request");
        long least = FRAMING_TOKENS + least(request.toolsJson());
        long most = FRAMING_TOKENS + most(request.toolsJson());
        for (ChatMessage message : request.messages()) {
            long fixed = FRAMING_TOKENS + remembered(message.role());
            least += fixed;
            most += fixed;
            boolean instruction = message.isInstruction();
            for (ContentPart part : message.parts()) {
                if (part instanceof ContentPart.Text t) {
                    if (instruction) {
                        long n = remembered(t.text());
                        least += n;
                        most += n;
                    } else {
                        least += least(t.text());
                        most += most(t.text());
                    }
                } else {
                    long n = count(part);
                    least += n;
                    most += n;
                }
            }
            if (message.name() != null) {
                least += least(message.name()) + 1;
                most += most(message.name()) + 1;
            }
            least += least(message.toolCallId()) + least(message.toolCallsJson());
            most += most(message.toolCallId()) + most(message.toolCallsJson());
        }
        return new PromptTokenRange(least, most);
    }

    /** The fewest tokens a text can be: one if it is not empty. */
    private static long least(String textOrNull) {
        return textOrNull == null || textOrNull.isEmpty() ? 0 : 1;
    }

    /** The most tokens a text can be: its UTF-8 length (an unpaired surrogate, encoded as {@code ?}, counted as 2). */
    private static long most(String textOrNull) {
        if (textOrNull == null) return 0;
        long bytes = textOrNull.length();
        for (int i = 0, n = textOrNull.length(); i < n; i++) {
            char c = textOrNull.charAt(i);
            if (c >= 0x80) bytes += c < 0x800 || Character.isSurrogate(c) ? 1 : 2;
        }
        return bytes;
    }

    /**
     * The tokens one message adds to a prompt: its framing, role, parts, name and tool fields.
     *
     * @throws NullPointerException if {@code message} is null
     */
    public long count(ChatMessage message) {
        long total = FRAMING_TOKENS + remembered(message.role());
        boolean instruction = message.isInstruction();
        for (ContentPart part : message.parts()) {
            total += instruction && part instanceof ContentPart.Text t ? remembered(t.text()) : count(part);
        }
        if (message.name() != null) total += tokenizer.count(message.name()) + 1;
        return total + tokens(message.toolCallId()) + tokens(message.toolCallsJson());
    }

    private long count(ContentPart part) {
        return switch (part) {
            case ContentPart.Text t -> tokenizer.count(t.text());
            case ContentPart.Image i -> i.lowDetail() ? ImageTokens.LOW_DETAIL_TOKENS : ImageTokens.tokens(i.bytes());
            case ContentPart.ImageUrl ignored -> ImageTokens.UNREADABLE_IMAGE_TOKENS;
            case ContentPart.Document d -> {
                long total = tokenizer.count(DocumentText.of(d));
                for (ContentPart.Image page : d.pageImages()) total += count(page);
                yield total;
            }
            case ContentPart.Video v -> tokens(v.filename()) + (v.bytes().length + VIDEO_BYTES_PER_TOKEN - 1) / VIDEO_BYTES_PER_TOKEN;
            case ContentPart.FileRef f -> tokenizer.count(f.fileId());
            case ContentPart.FileData f -> tokens(f.filename());
            case ContentPart.Unsupported ignored -> 0;
        };
    }

    /** The count of a text that recurs across requests, encoded once while it is remembered. */
    private long remembered(String text) {
        if (text.length() > REMEMBERED_TEXT_CHARS) return tokenizer.count(text);
        Integer known = remembered.get(text);
        if (known != null) return known;
        int count = tokenizer.count(text);
        // Bounded without bookkeeping: a full map starts over (the texts worth keeping come back at once).
        if (remembered.size() >= REMEMBERED_TEXTS) remembered.clear();
        remembered.put(text, count);
        return count;
    }

    private long tokens(String textOrNull) {
        return textOrNull == null ? 0 : tokenizer.count(textOrNull);
    }
}
