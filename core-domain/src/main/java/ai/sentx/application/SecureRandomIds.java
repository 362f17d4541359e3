package ai.sentx.application;

import ai.sentx.port.IdSource;
import java.security.SecureRandom;

/**
 * Ids of 24 random base-62 characters after a prefix (about 143 bits). One draw of random bytes
 * per id (the shared generator is locked per call), mapped without bias: a byte below 248 (= 4 ×
 * 62) gives one character, the rest are skipped.
 */
public final class SecureRandomIds implements IdSource {
    private static final char[] ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final int LENGTH = 24;
    /** 24 characters need 24 accepted bytes; 32 leave room for the ~3 % that are skipped. */
    private static final int DRAW = 32;
    private static final int ACCEPT_BELOW = 248;
    private final SecureRandom random = new SecureRandom();

    @Override
    public String next(String prefix) {
        char[] out = new char[LENGTH];
        byte[] bytes = new byte[DRAW];
        int n = 0;
        while (n < LENGTH) {
            random.nextBytes(bytes);
            for (int i = 0; i < DRAW && n < LENGTH; i++) {
                int v = bytes[i] & 0xFF;
                if (v < ACCEPT_BELOW) out[n++] = ALPHABET[v % ALPHABET.length];
            }
        }
        return prefix + new String(out);
    }
}
