package ai.sentx.domain;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentLinkedQueue;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keyed hash of API keys and session tokens: HMAC-SHA-256 with a server secret. Only this hash
 * is stored; a leaked table does not reveal usable keys.
 */
public final class KeyHasher {
    private final SecretKeySpec secret;
    /**
     * Initialised MACs ready for another value: every API call hashes its key, and looking up and
     * initialising a new {@link Mac} costs several times the hash itself. At most one per concurrent caller.
     */
    private final ConcurrentLinkedQueue<Mac> idle = new ConcurrentLinkedQueue<>();

    /** @param secret at least 32 bytes of server secret */
    public KeyHasher(byte[] secret) {
        if (secret.length < 32) throw new IllegalArgumentException("the key-hash secret needs at least 32 bytes");
        this.secret = new SecretKeySpec(secret.clone(), "HmacSHA256");
    }

    /** Lower-case hex HMAC-SHA-256 of the UTF-8 bytes of {@code value}. */
    public String hash(String value) {
        Mac mac = idle.poll();
        if (mac == null) mac = newMac();
        // doFinal leaves the MAC reset, with the same key, for the next value.
        String hash = HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
        idle.offer(mac);
        return hash;
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(secret);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** Constant-time comparison of two hashes. */
    public static boolean sameHash(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
    }
}
