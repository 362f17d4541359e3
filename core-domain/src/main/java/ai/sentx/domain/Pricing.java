package ai.sentx.domain;

/**
 * The price list and the exact cost formula of CONTRACT §6:
 * {@code clamp(round_half_up((prompt*300 + completion*1000) / 1_000_000), 1, 500)} cents,
 * in integer arithmetic only.
 */
public final class Pricing {
    public static final long INPUT_CENTS_PER_MILLION = 300;
    public static final long OUTPUT_CENTS_PER_MILLION = 1_000;
    public static final long MIN_CENTS = 1;
    public static final long MAX_CENTS = 500;
    private static final long MILLION = 1_000_000L;
    /** Token counts at or above this already cost the maximum; capping keeps the arithmetic in range. */
    private static final long TOKEN_CAP = 1_000_000_000_000L;

    private Pricing() {
    }

    /**
     * Cost of one billable request.
     *
     * @throws IllegalArgumentException if a count is negative
     */
    public static long costCents(long promptTokens, long completionTokens) {
        if (promptTokens < 0 || completionTokens < 0) {
            throw new IllegalArgumentException("token counts must be >= 0");
        }
        long p = Math.min(promptTokens, TOKEN_CAP);
        long c = Math.min(completionTokens, TOKEN_CAP);
        long micro = p * INPUT_CENTS_PER_MILLION + c * OUTPUT_CENTS_PER_MILLION; // < 1.4e15, no overflow
        long rounded = (micro + MILLION / 2) / MILLION;
        return Math.max(MIN_CENTS, Math.min(MAX_CENTS, rounded));
    }

    /**
     * The largest output budget (at most {@code wantedOutputTokens}) whose worst-case cost with
     * {@code promptTokens} of input stays within {@code availableCents}; {@code -1} when even the
     * input alone costs more than is available.
     */
    public static long affordableOutputTokens(long availableCents, long promptTokens, long wantedOutputTokens) {
        if (wantedOutputTokens < 0) throw new IllegalArgumentException("wantedOutputTokens must be >= 0");
        if (availableCents < costCents(promptTokens, 0)) return -1;
        if (costCents(promptTokens, wantedOutputTokens) <= availableCents) return wantedOutputTokens;
        // Here 1 <= availableCents < 500, so cost <= available  <=>  micro + 500_000 < (available + 1) * 1e6.
        long p = Math.min(promptTokens, TOKEN_CAP);
        long headroom = (availableCents + 1) * MILLION - MILLION / 2 - 1 - p * INPUT_CENTS_PER_MILLION;
        long tokens = Math.floorDiv(headroom, OUTPUT_CENTS_PER_MILLION);
        return Math.max(0, Math.min(wantedOutputTokens, tokens));
    }
}
