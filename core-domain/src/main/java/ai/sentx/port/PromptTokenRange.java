package ai.sentx.port;

/**
 * Where a prompt's exact token count ({@link ModelBackend#countPromptTokens}) lies:
 * {@code atLeast <= count <= atMost}. Equal bounds are the count itself.
 */
public record PromptTokenRange(long atLeast, long atMost) {
    public PromptTokenRange {
        if (atLeast < 0 || atMost < atLeast) throw new IllegalArgumentException("not a range: " + atLeast + ".." + atMost);
    }

    /** The exact count, as a range. */
    public static PromptTokenRange exactly(long count) {
        return new PromptTokenRange(count, count);
    }

    public boolean exact() {
        return atLeast == atMost;
    }
}
