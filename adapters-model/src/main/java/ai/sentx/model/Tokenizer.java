package ai.sentx.model;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import com.knuddels.jtokkit.api.IntArrayList;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Counts and splits text with OpenAI's {@code o200k_base} encoding (the GPT-4o family's), through
 * jtokkit. Text is encoded as ordinary text: a special-token string such as
 * {@code <|endoftext|>} in the input counts as the plain characters it is made of, never as a
 * control token, and never makes a call fail.
 *
 * <p>The encoding is loaded once per JVM, on first use (about half a second), and is then shared;
 * every method is thread-safe.
 */
public final class Tokenizer {
    private static final class Holder {
        static final Tokenizer INSTANCE =
                new Tokenizer(Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE));
    }

    /**
     * One piece of text to stream: one token, or the few consecutive tokens that together complete a
     * character whose UTF-8 bytes the encoding splits (some emoji and CJK characters).
     *
     * @param text             the piece; never empty, never a partial character
     * @param tokens           how many token ids the piece was decoded from (at least 1)
     * @param cumulativeTokens {@link Tokenizer#count} of this piece and all earlier pieces
     *                         concatenated: exactly what the text streamed so far costs
     */
    public record Piece(String text, int tokens, int cumulativeTokens) {
        public Piece {
            Objects.requireNonNull(text, "text");
        }
    }

    private final Encoding encoding;

    private Tokenizer(Encoding encoding) {
        this.encoding = encoding;
    }

    /** The shared {@code o200k_base} tokenizer, loading the encoding on the first call. */
    public static Tokenizer o200kBase() {
        return Holder.INSTANCE;
    }

    /**
     * The number of tokens of {@code text}.
     *
     * @throws NullPointerException if {@code text} is null
     */
    public int count(String text) {
        Objects.requireNonNull(text, "text");
        return text.isEmpty() ? 0 : encoding.countTokensOrdinary(text);
    }

    /**
     * Splits {@code text} into the pieces a model would stream, in order. Their concatenation equals
     * {@code text} when {@code text} is well-formed UTF-16 (an unpaired surrogate comes back as
     * {@code ?}, as the encoder sees it).
     *
     * @throws NullPointerException if {@code text} is null
     */
    public List<String> pieces(String text) {
        List<Piece> pieces = streamPieces(text);
        List<String> texts = new ArrayList<>(pieces.size());
        for (Piece p : pieces) texts.add(p.text());
        return texts;
    }

    /**
     * Like {@link #pieces}, with the exact token count of every prefix: for each piece,
     * {@code cumulativeTokens == count(concatenation of the pieces up to and including it)}. That
     * count is usually the number of token ids decoded so far, but not always (a prefix that ends
     * inside a word may re-encode differently), which is why it is computed, not assumed.
     *
     * @throws NullPointerException if {@code text} is null
     */
    public List<Piece> streamPieces(String text) {
        Objects.requireNonNull(text, "text");
        if (text.isEmpty()) return List.of();
        int[] ids = encoding.encodeOrdinary(text).toArray();
        List<String> texts = new ArrayList<>();
        List<Integer> tokensPerPiece = new ArrayList<>();
        IntArrayList one = new IntArrayList(1);
        byte[] pending = new byte[16];
        int pendingLength = 0;
        int pendingTokens = 0;
        for (int id : ids) {
            one.clear();
            one.add(id);
            byte[] bytes = encoding.decodeBytes(one);
            if (pendingLength + bytes.length > pending.length) {
                pending = Arrays.copyOf(pending, Math.max(pending.length * 2, pendingLength + bytes.length));
            }
            System.arraycopy(bytes, 0, pending, pendingLength, bytes.length);
            pendingLength += bytes.length;
            pendingTokens++;
            if (endsOnCharacterBoundary(pending, pendingLength)) {
                texts.add(new String(pending, 0, pendingLength, StandardCharsets.UTF_8));
                tokensPerPiece.add(pendingTokens);
                pendingLength = 0;
                pendingTokens = 0;
            }
        }
        if (pendingLength > 0) { // unreachable for text the encoder produced itself; kept total
            texts.add(new String(pending, 0, pendingLength, StandardCharsets.UTF_8));
            tokensPerPiece.add(pendingTokens);
        }
        return withExactCounts(texts, tokensPerPiece);
    }

    /**
     * Computes each prefix's exact count without re-encoding every prefix. o200k_base first splits
     * text with a regular expression (no look-behind) and then encodes each chunk on its own; at a
     * space that follows a non-space character, a chunk always ends and a new one starts, whatever
     * comes after. So at such an "anchor" the count of everything before it is the number of token
     * ids decoded so far, and a prefix's count is the count at the last anchor plus the count of the
     * short tail after it.
     */
    private List<Piece> withExactCounts(List<String> texts, List<Integer> tokensPerPiece) {
        StringBuilder decoded = new StringBuilder();
        for (String t : texts) decoded.append(t);
        List<Piece> pieces = new ArrayList<>(texts.size());
        int anchor = 0;
        int anchorCount = 0;
        int idsSoFar = 0;
        int end = 0;
        for (int i = 0; i < texts.size(); i++) {
            String piece = texts.get(i);
            int start = end;
            end += piece.length();
            // An anchor at the start of this piece: the tokens decoded so far are the exact count there.
            if (isAnchor(decoded, start)) {
                anchor = start;
                anchorCount = idsSoFar;
            }
            idsSoFar += tokensPerPiece.get(i);
            // At the very end, or right before an anchor, a chunk ends: no need to count the tail.
            int exact = end == decoded.length() || isAnchor(decoded, end)
                    ? idsSoFar
                    : anchorCount + count(decoded.substring(anchor, end));
            pieces.add(new Piece(piece, tokensPerPiece.get(i), exact));
        }
        return List.copyOf(pieces);
    }

    private static boolean isAnchor(CharSequence s, int at) {
        if (at <= 0 || at >= s.length() || s.charAt(at) != ' ') return false;
        char before = s.charAt(at - 1);
        return (before > ' ' && before < 0x7F) || Character.isLetterOrDigit(before);
    }

    /** Whether the first {@code length} bytes end after the last byte of a complete UTF-8 sequence. */
    private static boolean endsOnCharacterBoundary(byte[] b, int length) {
        int lead = length - 1;
        int continuation = 0;
        while (lead >= 0 && (b[lead] & 0xC0) == 0x80 && continuation < 3) {
            lead--;
            continuation++;
        }
        if (lead < 0) return false;
        int first = b[lead] & 0xFF;
        int needed;
        if (first < 0x80) needed = 1;
        else if (first >= 0xF0) needed = 4;
        else if (first >= 0xE0) needed = 3;
        else if (first >= 0xC0) needed = 2;
        else return true; // a stray continuation byte: not valid UTF-8, waiting would not fix it
        return length - lead >= needed;
    }
}
