package ai.sentx.model.builtin;

import ai.sentx.domain.chat.ChatMessage;
import ai.sentx.domain.chat.ContentPart;
import ai.sentx.model.ImageTokens;
import ai.sentx.model.Tokenizer;
import ai.sentx.port.ModelRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes the built-in model's reply: a pure function of the messages and the seed. See
 * {@link BuiltInBackend} for its shape.
 */
final class ReplyComposer {
    private static final List<String> SENTENCES = List.of(
            "This answer comes from the built-in SentX model, which runs without any network access.",
            "The same conversation always gets the same reply, which makes tests easy to repeat.",
            "Every word you read here was counted as a completion token and billed at the output price.",
            "Your prompt was counted with the o200k_base encoding, the one used by the GPT-4o family.",
            "Point the server at a real model to get real answers; this one only shows how the pipeline works.",
            "Streaming sends each token to you as soon as it is made, with no buffering on the way.",
            "If you set a limit on output tokens, the reply stops there and says so with a length finish reason.",
            "Stop sequences work as they do with OpenAI: the reply ends just before the first match.",
            "The cost of each request is the sum of its input and output tokens at their listed prices.",
            "A request that fails on the model side is not billed at all.",
            "If you close the connection early, you pay only for the tokens made before you left.",
            "Here is a simple thought: clear questions tend to get clear answers.",
            "Good tests check both the happy path and the ways things can go wrong.",
            "Small steps, checked often, usually beat one large change.",
            "A careful reader will notice that these sentences are chosen from a fixed list.",
            "The choice of sentences depends on a hash of the whole conversation.",
            "Changing a single word of the conversation gives a different reply.",
            "Images are measured from their bytes and priced in tiles of 512 by 512 pixels.",
            "Long system messages are refused, so keep your instructions short and to the point.",
            "The platform's own safety instructions always come first in the conversation.",
            "Thank you for trying SentX; the real models are only one setting away.",
            "Numbers, names and code all count as tokens, just like plain words.",
            "Every balance change is written to a ledger, so nothing is charged twice.",
            "Rate limits protect the service, and the response headers tell you how much room is left.",
            "There is no hidden state between requests: each reply depends only on its input.",
            "Try asking for two paragraphs to see a longer reply.",
            "Short prompts get short replies, and that is fine for a test model.",
            "When you are ready, swap in a real backend and keep the same client code.",
            "A keep-alive comment is sent when the model is quiet for a while, so proxies keep the line open.",
            "Files you upload can be referenced in a chat message by their id.",
            "Each reply ends with a usage block that lists the exact token counts.",
            "The built-in model ignores temperature and top_p, but it honours the seed you send.");
    private static final Pattern PARAGRAPHS =
            Pattern.compile("\\b([1-9]|one|two|three|four|five|six|seven|eight|nine)\\s+paragraphs?\\b");
    private static final Pattern ASKS_FOR_MORE =
            Pattern.compile("\\b(explain|describe|details?|detailed|elaborate|essay|story)\\b");
    private static final List<String> NUMBER_WORDS =
            List.of("one", "two", "three", "four", "five", "six", "seven", "eight", "nine");
    private static final int MAX_PARAGRAPHS = 5;
    private static final int MIN_PARAGRAPH_TOKENS = 40;
    private static final int PARAGRAPH_TOKEN_SPREAD = 81; // targets of 40..120 tokens
    private static final int QUOTE_WORDS = 12;
    private static final int QUOTE_CODE_POINTS = 80;

    private final Tokenizer tokenizer;
    /** Tokens of {@code " " + sentence}: a space after a full stop starts a new chunk, so counts add up. */
    private final int[] sentenceTokens;

    ReplyComposer(Tokenizer tokenizer) {
        this.tokenizer = tokenizer;
        this.sentenceTokens = SENTENCES.stream().mapToInt(s -> tokenizer.count(" " + s)).toArray();
    }

    String reply(ModelRequest request) {
        SplitMix64 random = new SplitMix64(hash(request));
        String lastUserText = lastUserText(request.messages());
        int[] order = shuffledSentences(random);
        int used = 0;

        StringBuilder reply = new StringBuilder(512);
        reply.append(opening(lastUserText));
        String images = imageSentence(request.messages());
        if (!images.isEmpty()) reply.append(' ').append(images);
        String documents = documentSentence(request.messages());
        if (!documents.isEmpty()) reply.append(' ').append(documents);

        int paragraphs = paragraphsAskedFor(lastUserText);
        for (int p = 0; p < paragraphs; p++) {
            int target = MIN_PARAGRAPH_TOKENS + random.nextInt(PARAGRAPH_TOKEN_SPREAD);
            int tokens;
            if (p == 0) {
                tokens = tokenizer.count(reply.toString());
            } else {
                String text = SENTENCES.get(order[used++ % order.length]);
                reply.append("\n\n").append(text);
                tokens = tokenizer.count(text);
            }
            while (tokens < target) {
                int sentence = order[used++ % order.length];
                reply.append(' ').append(SENTENCES.get(sentence));
                tokens += sentenceTokens[sentence];
            }
        }
        return reply.toString();
    }

    /** The text of the last user message, or "" when there is none. */
    static String lastUserText(List<ChatMessage> messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i).role().equals("user")) return messages.get(i).text();
        }
        return "";
    }

    private static String opening(String lastUserText) {
        String quote = quote(lastUserText);
        if (quote.isEmpty()) return "Your message had no text.";
        char last = quote.charAt(quote.length() - 1);
        boolean endsASentence = !quote.endsWith("...") && (last == '.' || last == '!' || last == '?');
        return "You said: \"" + quote + (endsASentence ? "\"" : "\".");
    }

    /**
     * The start of {@code text} on one line: whitespace runs become one space, control characters
     * and unpaired surrogates are dropped, and it is cut after a few words.
     */
    private static String quote(String text) {
        StringBuilder sb = new StringBuilder();
        int words = 0;
        int codePoints = 0;
        boolean space = false;
        boolean cut = false;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.isWhitespace(cp) || Character.isSpaceChar(cp)) {
                space = sb.length() > 0;
                continue;
            }
            if (Character.isISOControl(cp) || Character.getType(cp) == Character.SURROGATE) continue;
            if (space) {
                if (++words >= QUOTE_WORDS) {
                    cut = true;
                    break;
                }
                sb.append(' ');
                codePoints++;
                space = false;
            }
            if (codePoints >= QUOTE_CODE_POINTS) {
                cut = true;
                break;
            }
            sb.appendCodePoint(cp);
            codePoints++;
        }
        return cut ? sb + "..." : sb.toString();
    }

    /** Names each attached document and quotes its start, so a reply shows it read the content. */
    private static String documentSentence(List<ChatMessage> messages) {
        List<String> described = new ArrayList<>();
        for (ChatMessage m : messages) {
            for (ContentPart part : m.parts()) {
                if (part instanceof ContentPart.Document d) {
                    String start = quote(d.text());
                    described.add(d.filename() + (start.isEmpty() ? " (no text)" : " (it begins \"" + start + "\")"));
                } else if (part instanceof ContentPart.Video v) {
                    described.add(v.filename() + " (a video)");
                }
            }
        }
        if (described.isEmpty()) return "";
        return "I read " + String.join(", ", described) + ".";
    }

    private static String imageSentence(List<ChatMessage> messages) {
        List<String> described = new ArrayList<>();
        for (ChatMessage m : messages) {
            for (ContentPart part : m.parts()) {
                if (part instanceof ContentPart.Image image) {
                    Optional<ImageTokens.Dimensions> d = ImageTokens.dimensions(image.bytes());
                    described.add(d.map(x -> x.width() + "x" + x.height() + " " + x.format()).orElse("unknown size"));
                }
            }
        }
        if (described.isEmpty()) return "";
        return "I see " + described.size() + (described.size() == 1 ? " image (" : " images (")
                + String.join(", ", described) + ").";
    }

    private static int paragraphsAskedFor(String lastUserText) {
        String text = lastUserText.toLowerCase(Locale.ROOT);
        Matcher m = PARAGRAPHS.matcher(text);
        if (m.find()) {
            String n = m.group(1);
            int count = n.length() == 1 ? n.charAt(0) - '0' : NUMBER_WORDS.indexOf(n) + 1;
            return Math.min(count, MAX_PARAGRAPHS);
        }
        return ASKS_FOR_MORE.matcher(text).find() ? 2 : 1;
    }

    private static int[] shuffledSentences(SplitMix64 random) {
        int[] order = new int[SENTENCES.size()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    /** SHA-256 of everything the reply may depend on: every message and the seed. */
    private static long hash(ModelRequest request) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        for (ChatMessage m : request.messages()) {
            update(digest, "message");
            update(digest, m.role());
            update(digest, m.name());
            update(digest, m.toolCallId());
            update(digest, m.toolCallsJson());
            for (ContentPart part : m.parts()) {
                switch (part) {
                    case ContentPart.Text t -> update(digest, "text", t.text());
                    case ContentPart.Image i -> {
                        update(digest, "image", i.mediaType());
                        update(digest, i.bytes());
                    }
                    case ContentPart.ImageUrl u -> update(digest, "image_url", u.url());
                    case ContentPart.Document d -> {
                        update(digest, "document", d.filename());
                        update(digest, d.text());
                        for (ContentPart.Image page : d.pageImages()) update(digest, page.bytes());
                    }
                    case ContentPart.Video v -> {
                        update(digest, "video", v.filename());
                        update(digest, v.bytes());
                    }
                    case ContentPart.FileRef f -> update(digest, "file_ref", f.fileId());
                    case ContentPart.FileData f -> update(digest, "file_data", f.data());
                    case ContentPart.Unsupported u -> update(digest, "unsupported", u.type());
                }
            }
        }
        update(digest, request.seed() == null ? null : request.seed().toString());
        byte[] h = digest.digest();
        long v = 0;
        for (int i = 0; i < 8; i++) v = (v << 8) | (h[i] & 0xFF);
        return v;
    }

    private static void update(MessageDigest digest, String kind, String value) {
        update(digest, kind);
        update(digest, value);
    }

    private static void update(MessageDigest digest, String valueOrNull) {
        update(digest, valueOrNull == null ? null : valueOrNull.getBytes(StandardCharsets.UTF_8));
    }

    /** Length-prefixed, so that ("ab", "c") and ("a", "bc") differ; null differs from empty. */
    private static void update(MessageDigest digest, byte[] bytesOrNull) {
        int length = bytesOrNull == null ? -1 : bytesOrNull.length;
        digest.update(new byte[] {(byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8), (byte) length});
        if (bytesOrNull != null) digest.update(bytesOrNull);
    }

    /** Steele, Lea and Flood's SplitMix64: fixed here so replies never change with the JDK. */
    private static final class SplitMix64 {
        private long state;

        SplitMix64(long seed) {
            this.state = seed;
        }

        long nextLong() {
            long z = (state += 0x9E3779B97F4A7C15L);
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            return z ^ (z >>> 31);
        }

        /** Uniform enough in [0, bound) for picking sentences. */
        int nextInt(int bound) {
            return (int) Math.floorMod(nextLong(), (long) bound);
        }
    }
}
