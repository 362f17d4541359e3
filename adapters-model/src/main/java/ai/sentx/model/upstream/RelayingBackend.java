package ai.sentx.model.upstream;

import ai.sentx.model.PromptTokenCounter;
import ai.sentx.model.Tokenizer;
import ai.sentx.port.ModelBackend;
import ai.sentx.port.ModelBackendException;
import ai.sentx.port.ModelRequest;
import ai.sentx.port.ModelStream;
import ai.sentx.port.PromptTokenRange;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * What the remote backends share: the o200k_base counts (the hold's prompt estimate, and the tokens
 * of a reply cut short), the default output budget, and a call with no budget left that ends at
 * once without reaching the model.
 */
abstract class RelayingBackend implements ModelBackend, AutoCloseable {
    final Tokenizer tokenizer = Tokenizer.o200kBase();
    final PromptTokenCounter promptCounter = new PromptTokenCounter(tokenizer);
    private final long maxOutputTokens;

    /** @throws IllegalArgumentException if {@code maxOutputTokens} is negative */
    RelayingBackend(long maxOutputTokens) {
        if (maxOutputTokens < 0) throw new IllegalArgumentException("maxOutputTokens must be >= 0");
        this.maxOutputTokens = maxOutputTokens;
    }

    @Override
    public long maxOutputTokens() {
        return maxOutputTokens;
    }

    /** {@link PromptTokenCounter}'s estimate; the model's own count settles the bill. */
    @Override
    public long countPromptTokens(ModelRequest request) {
        return promptCounter.count(request);
    }

    /** {@link PromptTokenCounter#range}: the customer's texts are not encoded. */
    @Override
    public PromptTokenRange promptTokenRange(ModelRequest request) {
        return promptCounter.range(request);
    }

    @Override
    public long countTokens(String text) {
        return tokenizer.count(text);
    }

    /**
     * Opens the call with the request's budget (at most this backend's); a budget of zero ends at
     * once, billed for the prompt only.
     */
    @Override
    public final ModelStream open(ModelRequest request) throws ModelBackendException {
        Objects.requireNonNull(request, "request");
        LongSupplier promptEstimate = () -> promptCounter.count(request);
        long budget = Math.min(request.maxOutputTokens(), maxOutputTokens);
        if (budget == 0) return RelayStream.endedAtOnce(tokenizer, promptEstimate);
        return open(request, promptEstimate, budget);
    }

    /**
     * Starts the call.
     *
     * @param promptEstimate the prompt's count, for a reply that ends without the model's usage
     * @param budget         the output tokens allowed, at least 1
     */
    abstract ModelStream open(ModelRequest request, LongSupplier promptEstimate, long budget)
            throws ModelBackendException;

    @Override
    public abstract void close();
}
