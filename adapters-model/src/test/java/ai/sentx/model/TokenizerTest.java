package ai.sentx.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class TokenizerTest {
    private final Tokenizer tokenizer = Tokenizer.o200kBase();

    /** Texts whose prefixes are hard to count: multi-token words, CJK, emoji, digits, whitespace runs. */
    private static final List<String> AWKWARD_TEXTS = List.of(
            "hello world",
            "Hello, world! How's it going? I'd say we're fine.",
            "antidisestablishmentarianism and pneumonoultramicroscopicsilicovolcanoconiosis are long",
            "你好，世界 👋 — naïve café, Ελληνικά, русский, العربية, हिन्दी",
            "family: 👨‍👩‍👧‍👦 flags: 🇫🇷🇯🇵 skin: 👍🏽 ok",
            "numbers 1234567890 and 3.14159, dates 2026-01-31T12:00:00Z",
            "code:\n\tif (x != null) { return x.y(); }\n\n  indented   with   spaces  \r\n end",
            "  leading spaces, trailing spaces   ",
            "\n\nnew paragraphs.\n\nAnother one.\n",
            "<|endoftext|> is plain text here <|im_start|>",
            "mixedCASEWords camelCaseIdentifiers SCREAMING_SNAKE kebab-case/slash/path.txt");

    @Test
    void countsHelloWorld_asTwoTokens() {
        assertEquals(2, tokenizer.count("hello world"));
        assertEquals(4, tokenizer.count("Hello, world!"));
        assertEquals(0, tokenizer.count(""));
    }

    @Test
    void countsSpecialTokenText_asOrdinaryCharacters_withoutFailing() {
        assertEquals(7, tokenizer.count("<|endoftext|>"));
        assertEquals(List.of("<", "|", "end", "of", "text", "|", ">"), tokenizer.pieces("<|endoftext|>"));
    }

    @Test
    void splitsIntoOneTokenPieces_forPlainText() {
        assertEquals(List.of("Hello", ",", " world", "!"), tokenizer.pieces("Hello, world!"));
    }

    @Test
    void reassemblesEmojiAndCjkPieces_exactly_withoutReplacementCharacters() {
        for (String text : AWKWARD_TEXTS) {
            List<String> pieces = tokenizer.pieces(text);

            assertEquals(text, String.join("", pieces));
            for (String piece : pieces) {
                assertFalse(piece.isEmpty(), text);
                assertFalse(piece.contains("\uFFFD"), "replacement character in " + pieces);
            }
        }
    }

    @Test
    void joinsTheTokensOfASplitCharacter_intoOnePiece() {
        // o200k_base encodes " 👋" as two tokens: a space with the emoji's first three bytes, then the last byte.
        List<Tokenizer.Piece> pieces = tokenizer.streamPieces("hi 👋");

        assertEquals(List.of("hi", " 👋"), pieces.stream().map(Tokenizer.Piece::text).toList());
        assertEquals(2, pieces.get(1).tokens());
        assertEquals(3, pieces.get(1).cumulativeTokens());
    }

    @Test
    void cumulativeCounts_equalTheCountOfEveryPrefix() {
        for (String text : AWKWARD_TEXTS) {
            StringBuilder prefix = new StringBuilder();
            int tokens = 0;
            for (Tokenizer.Piece piece : tokenizer.streamPieces(text)) {
                prefix.append(piece.text());
                tokens += piece.tokens();
                assertEquals(tokenizer.count(prefix.toString()), piece.cumulativeTokens(), "prefix '" + prefix + "'");
            }
            assertEquals(tokenizer.count(text), tokens, text);
        }
    }

    @Test
    void cumulativeCounts_equalTheCountOfEveryPrefix_forRandomMixedText() {
        String[] alphabet = {"a", "Zed", " ", "  ", "\n", "\t", ".", ",", "'", "'s", "1", "4567", "é", "你", "好", "👋",
                "👨‍👩‍👧", " 👍🏽", "\u00A0", "-", "/", "\r\n", "(", "\"", "ß", "İ", "ﬁ", "\u0301", "Ω", "한", "…", "_", "{"};
        Random random = new Random(20_260_131);
        for (int i = 0; i < 2_000; i++) {
            StringBuilder text = new StringBuilder();
            for (int j = random.nextInt(30); j >= 0; j--) text.append(alphabet[random.nextInt(alphabet.length)]);
            StringBuilder prefix = new StringBuilder();
            for (Tokenizer.Piece piece : tokenizer.streamPieces(text.toString())) {
                prefix.append(piece.text());
                assertEquals(tokenizer.count(prefix.toString()), piece.cumulativeTokens(), "prefix '" + prefix + "'");
            }
            assertEquals(text.toString(), prefix.toString());
        }
    }

    @Test
    void returnsNoPieces_forEmptyText() {
        assertEquals(List.of(), tokenizer.pieces(""));
    }

    @Test
    void isOneSharedInstance_andCountsTheSameFromManyThreads() throws Exception {
        assertSame(tokenizer, Tokenizer.o200kBase());
        String text = String.join(" ", AWKWARD_TEXTS);
        int expected = tokenizer.count(text);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> counts = new ArrayList<>();
            for (int i = 0; i < 32; i++) counts.add(pool.submit(() -> tokenizer.count(text)));
            for (Future<Integer> count : counts) assertEquals(expected, count.get());
        } finally {
            pool.shutdownNow();
        }
        assertTrue(expected > 100);
    }
}
