package ai.sentx.domain;

import java.util.Map;

/**
 * Typed values from a composition root's configuration (its environment, as a map): what the local
 * server and the AWS functions read alike. Messages name the variable and, for numbers, the value
 * given; never call these for a secret whose value must not be echoed.
 */
public final class ConfigValues {
    private ConfigValues() {
    }

    /** {@code s} stripped, or {@code null} when it is absent or blank. */
    public static String blank(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    /**
     * The non-negative whole number in {@code name}, or {@code fallback} when it is unset.
     *
     * @throws IllegalArgumentException naming the variable, for anything else
     */
    public static long longVar(Map<String, String> env, String name, long fallback) {
        String raw = blank(env.get(name));
        if (raw == null) return fallback;
        try {
            long v = Long.parseLong(raw);
            if (v < 0) throw new NumberFormatException();
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a non-negative whole number, not '" + raw + "'");
        }
    }

    /** As {@link #longVar}, at most {@link Integer#MAX_VALUE}. */
    public static int intVar(Map<String, String> env, String name, int fallback) {
        long v = longVar(env, name, fallback);
        if (v > Integer.MAX_VALUE) throw new IllegalArgumentException(name + " is too large");
        return (int) v;
    }
}
