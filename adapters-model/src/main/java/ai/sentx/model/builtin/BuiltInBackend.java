package ai.sentx.model.builtin;

import ai.sentx.domain.chat.FinishReason;
import ai.sentx.model.PromptTokenCounter;
import ai.sentx.model.Tokenizer;
import ai.sentx.port.ModelBackend;
import ai.sentx.port.ModelBackendException;
import ai.sentx.port.ModelRequest;
import ai.sentx.port.ModelStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The deterministic model the local server and the tests run: no network, and the same request
 * always gets the same reply, token for token.
 *
 * <p><b>The reply.</b> It opens by quoting the start of the last user message
 * ({@code You said: "..."}), says how many images the conversation holds and their sizes
 * ({@code I see 1 image (640x480 PNG).}), then continues with sentences picked from a fixed list by
 * a hash of every message and the request's seed. A paragraph is 40 to 120 tokens long; a last
 * user message that asks for {@code N paragraphs} (1–9, at most 5 are written) gets that many, and
 * one that asks to {@code explain}, {@code describe} or {@code elaborate}, or for {@code details},
 * an {@code essay} or a {@code story}, gets two. Temperature, top_p, tools and response formats do
 * not change it.
 *
 * <p><b>Limits.</b> The reply is cut before the first occurrence of any stop sequence (the stop
 * text is not sent; finish reason {@code stop}); since the whole reply is known before the first
 * token, a stop sequence spanning several tokens is found like any other. The output budget is the
 * request's {@code maxOutputTokens}, capped at this backend's {@link #maxOutputTokens()}: when the
 * reply is longer, exactly that many tokens are sent and the finish reason is {@code length} (a
 * budget of 0 sends nothing and finishes with {@code length}). The one exception: a single
 * character that costs several tokens (some emoji and rare CJK characters, which only a user's
 * message brings into the quote) cannot be cut, so when the budget ends inside one, the stream
 * ends before it, with fewer tokens. It never sends more.
 *
 * <p><b>Counting.</b> Prompt tokens follow {@link PromptTokenCounter}; completion tokens are the
 * {@code o200k_base} count of the text actually sent ({@link #countTokens} of the concatenated
 * deltas), exact at every point of the stream. Each {@code TextDelta} carries one token, or the
 * few tokens that complete one character (or, as the last delta of a reply cut by the budget, the
 * part of such a group that still fits).
 *
 * <p><b>Timing.</b> Each token is produced {@code tokenDelay} after the previous one (the first
 * {@code tokenDelay} after {@link #open}); a wait shorter than that returns {@code Idle}, and the
 * token comes on a later call. The final {@code Finished} follows the last token without delay.
 *
 * <p><b>Failure triggers</b>, for tests of failure paths, when the last user message's text is
 * exactly:
 * <ul>
 *   <li>{@value #FAIL_BEFORE_FIRST_TOKEN}: {@link #open} throws
 *       {@code ModelBackendException(UPSTREAM_ERROR, "The built-in model failed on purpose.")};</li>
 *   <li>{@value #FAIL_MID_STREAM}: the stream sends the reply's first 3 tokens, then
 *       {@code next} throws {@code ModelBackendException(UPSTREAM_ERROR, "The built-in model failed
 *       on purpose.")} (a budget under 3 tokens ends the stream normally first).</li>
 * </ul>
 *
 * <p>Thread-safe; each stream is read by one thread and may be closed from any.
 */
public final class BuiltInBackend implements ModelBackend {
    /** Last user message text that makes {@link #open} fail. */
    public static final String FAIL_BEFORE_FIRST_TOKEN = "__sentx_fail_before_first_token__";
    /** Last user message text that makes the stream fail after 3 tokens. */
    public static final String FAIL_MID_STREAM = "__sentx_fail_mid_stream__";
    /** How many tokens (one per delta) a {@link #FAIL_MID_STREAM} stream sends before it fails. */
    public static final int TOKENS_BEFORE_MID_STREAM_FAILURE = 3;
    static final String FAILURE_MESSAGE = "The built-in model failed on purpose.";

    private final long maxOutputTokens;
    private final Duration tokenDelay;
    private final Tokenizer tokenizer;
    private final PromptTokenCounter promptTokens;
    private final ReplyComposer composer;

    /**
     * @param maxOutputTokens the largest reply, in tokens, and the budget of a request that names
     *                        none (CONTRACT §6: 16,384 by default)
     * @param tokenDelay      the time between two tokens; {@link Duration#ZERO} for as fast as
     *                        possible
     * @throws IllegalArgumentException if {@code maxOutputTokens} or {@code tokenDelay} is negative
     * @throws NullPointerException     if {@code tokenDelay} is null
     */
    public BuiltInBackend(long maxOutputTokens, Duration tokenDelay) {
        Objects.requireNonNull(tokenDelay, "tokenDelay");
        if (maxOutputTokens < 0) throw new IllegalArgumentException("maxOutputTokens must be >= 0");
        if (tokenDelay.isNegative()) throw new IllegalArgumentException("tokenDelay must be >= 0");
        this.maxOutputTokens = maxOutputTokens;
        this.tokenDelay = tokenDelay;
        this.tokenizer = Tokenizer.o200kBase();
        this.promptTokens = new PromptTokenCounter(tokenizer);
        this.composer = new ReplyComposer(tokenizer);
    }

    /** The largest reply, and the budget of a request that names none. */
    @Override
    public long maxOutputTokens() {
        return maxOutputTokens;
    }

    /**
     * The prompt tokens of {@code request} by the rule of {@link PromptTokenCounter}.
     *
     * @throws NullPointerException if {@code request} is null
     */
    @Override
    public long countPromptTokens(ModelRequest request) {
        return promptTokens.count(request);
    }

    /**
     * The {@code o200k_base} token count of {@code text}.
     *
     * @throws NullPointerException if {@code text} is null
     */
    @Override
    public long countTokens(String text) {
        return tokenizer.count(text);
    }

    /**
     * The reply this backend writes for {@code request} before stop sequences and the output budget
     * apply.
     *
     * @throws NullPointerException if {@code request} is null
     */
    public String naturalReply(ModelRequest request) {
        return composer.reply(Objects.requireNonNull(request, "request"));
    }

    /**
     * Starts the reply to {@code request}. The whole reply is written and tokenized here (a few
     * encodings of a short text); the returned stream hands it out token by token.
     *
     * @throws ModelBackendException (UPSTREAM_ERROR) for the {@link #FAIL_BEFORE_FIRST_TOKEN} trigger
     * @throws NullPointerException  if {@code request} is null
     */
    @Override
    public ModelStream open(ModelRequest request) throws ModelBackendException {
        Objects.requireNonNull(request, "request");
        String trigger = ReplyComposer.lastUserText(request.messages());
        if (trigger.equals(FAIL_BEFORE_FIRST_TOKEN)) {
            throw new ModelBackendException(ModelBackendException.Kind.UPSTREAM_ERROR, FAILURE_MESSAGE);
        }
        String reply = cutAtFirstStop(composer.reply(request), request.stop());
        List<Tokenizer.Piece> pieces = tokenizer.streamPieces(reply);
        long budget = Math.min(request.maxOutputTokens(), maxOutputTokens);
        List<Tokenizer.Piece> toSend = withinBudget(pieces, budget);
        boolean cut = toSend.size() < pieces.size()
                || (!toSend.isEmpty() && toSend.getLast().cumulativeTokens() < pieces.getLast().cumulativeTokens());
        FinishReason reason = cut || budget == 0 ? FinishReason.LENGTH : FinishReason.STOP;
        int failAfter = trigger.equals(FAIL_MID_STREAM) ? TOKENS_BEFORE_MID_STREAM_FAILURE : -1;
        return new BuiltInStream(toSend, reason, promptTokens.count(request), tokenDelay, failAfter);
    }

    /**
     * The longest run of whole pieces that costs at most {@code budget} tokens. When the next piece
     * would overshoot (it holds several tokens, or its prefix re-encodes differently), the longest
     * part of it, cut at a code point, that brings the count to exactly {@code budget} is added.
     */
    private List<Tokenizer.Piece> withinBudget(List<Tokenizer.Piece> pieces, long budget) {
        int fitting = 0;
        while (fitting < pieces.size() && pieces.get(fitting).cumulativeTokens() <= budget) fitting++;
        if (fitting == pieces.size()) return pieces;
        int sentTokens = fitting == 0 ? 0 : pieces.get(fitting - 1).cumulativeTokens();
        if (sentTokens == budget) return pieces.subList(0, fitting);

        StringBuilder sent = new StringBuilder();
        for (Tokenizer.Piece p : pieces.subList(0, fitting)) sent.append(p.text());
        String next = pieces.get(fitting).text();
        int sentLength = sent.length();
        for (int end = next.offsetByCodePoints(next.length(), -1); end > 0; end = next.offsetByCodePoints(end, -1)) {
            sent.setLength(sentLength);
            if (tokenizer.count(sent.append(next, 0, end).toString()) == budget) {
                List<Tokenizer.Piece> result = new ArrayList<>(pieces.subList(0, fitting));
                result.add(new Tokenizer.Piece(next.substring(0, end), (int) budget - sentTokens, (int) budget));
                return result;
            }
        }
        return pieces.subList(0, fitting);
    }

    /** {@code reply} up to the earliest occurrence of any non-empty stop sequence. */
    static String cutAtFirstStop(String reply, List<String> stops) {
        int cut = reply.length();
        for (String stop : stops) {
            if (stop == null || stop.isEmpty()) continue;
            int at = reply.indexOf(stop);
            if (at >= 0 && at < cut) cut = at;
        }
        return reply.substring(0, cut);
    }
}
