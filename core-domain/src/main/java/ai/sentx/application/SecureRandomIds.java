package ai.sentx.application;

import ai.sentx.port.IdSource;
import java.security.SecureRandom;

/** Ids of 24 random base-62 characters after a prefix (about 143 bits). */
public final class SecureRandomIds implements IdSource {
    private static final char[] ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final int LENGTH = 24;
    private final SecureRandom random = new SecureRandom();

    @Override
    public String next(String prefix) {
        char[] out = new char[LENGTH];
        for (int i = 0; i < LENGTH; i++) out[i] = ALPHABET[random.nextInt(ALPHABET.length)];
        return prefix + new String(out);
    }
}
