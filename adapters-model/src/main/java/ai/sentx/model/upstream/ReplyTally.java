package ai.sentx.model.upstream;

import ai.sentx.domain.chat.FinishReason;
import ai.sentx.model.Tokenizer;
import ai.sentx.port.ModelEvent;
import java.util.function.LongSupplier;

/**
 * What a relayed reply bills: the server's usage when it sent one (completion tokens capped at the
 * output budget the request was admitted with), else the prompt estimate and the {@code o200k_base}
 * count of the text, tool names and tool arguments handed out. Shared by the streams of
 * {@link OpenAiCompatibleBackend}.
 *
 * <p>Not thread-safe: its stream guards it.
 */
final class ReplyTally {
    private final Tokenizer tokenizer;
    private final LongSupplier promptEstimate;
    private final long budget;
    private final StringBuilder handedOut = new StringBuilder();
    private long promptTokens = -1;
    private long completionTokens = -1;
    private int countedLength = -1;
    private long countedTokens;

    /**
     * @param promptEstimate the prompt tokens billed unless the server reports its own count;
     *                       computed only when needed (the server usually reports them)
     * @param budget         the output budget sent upstream: the most completion tokens billed
     */
    ReplyTally(Tokenizer tokenizer, LongSupplier promptEstimate, long budget) {
        this.tokenizer = tokenizer;
        this.promptEstimate = promptEstimate;
        this.budget = budget;
    }

    /** Records a delta handed out to the reader. */
    void handedOut(ModelEvent.TextDelta d) {
        handedOut.append(d.text());
    }

    /** Records a delta handed out to the reader. */
    void handedOut(ModelEvent.ToolCallDelta d) {
        if (d.opensCall()) handedOut.append(d.name());
        handedOut.append(d.argumentsFragment());
    }

    /** The reply's end, billed with {@code usage} if the server sent it ({@code null} if not). */
    ModelEvent.Finished finish(FinishReason reason, RelayStream.Usage usage) {
        if (usage != null) {
            promptTokens = usage.promptTokens();
            completionTokens = Math.min(usage.completionTokens(), budget);
        } else {
            completionTokens = Math.min(countHandedOut(), Math.max(budget, 0));
        }
        return new ModelEvent.Finished(reason, promptTokens(), completionTokens);
    }

    /** The server's count once its usage arrived, else the count of what was handed out. */
    long completionTokensSoFar() {
        return completionTokens >= 0 ? completionTokens : countHandedOut();
    }

    /** The server's count once its usage arrived, else the estimate. */
    long promptTokens() {
        if (promptTokens < 0) promptTokens = promptEstimate.getAsLong();
        return promptTokens;
    }

    /** The tokens of what was handed out, counted again only when more was handed out. */
    private long countHandedOut() {
        if (countedLength != handedOut.length()) {
            countedLength = handedOut.length();
            countedTokens = tokenizer.count(handedOut.toString());
        }
        return countedTokens;
    }
}
