package ai.sentx.domain;

import java.util.Base64;
import java.util.random.RandomGenerator;

/**
 * The shape of an API key: {@code sk-} followed by 43 URL-safe base64 characters (32 random
 * bytes from a CSPRNG), and its display hint {@code sk-...abcd}.
 */
public final class ApiKeyFormat {
    public static final String PREFIX = "sk-";
    private static final int RANDOM_BYTES = 32;
    private static final int MIN_BODY = 40;
    private static final int MAX_LENGTH = 256;

    private ApiKeyFormat() {
    }

    /** A new key; {@code random} must be a CSPRNG (a {@code SecureRandom}) outside tests. */
    public static String newKey(RandomGenerator random) {
        byte[] bytes = new byte[RANDOM_BYTES];
        random.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Whether {@code candidate} has the shape of a key (says nothing of whether it exists). */
    public static boolean isWellFormed(String candidate) {
        if (candidate == null || !candidate.startsWith(PREFIX)) return false;
        int n = candidate.length();
        if (n - PREFIX.length() < MIN_BODY || n > MAX_LENGTH) return false;
        for (int i = PREFIX.length(); i < n; i++) {
            char c = candidate.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
            if (!ok) return false;
        }
        return true;
    }

    public static String hint(String key) {
        return PREFIX + "..." + key.substring(key.length() - 4);
    }
}
