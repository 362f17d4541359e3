package ai.sentx.domain.chat;

/** Exact token counts of one completion, and what it cost. */
public record TokenUsage(long promptTokens, long completionTokens, long costCents) {
    public long totalTokens() {
        return promptTokens + completionTokens;
    }
}
