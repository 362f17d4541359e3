package ai.sentx.payments;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies Stripe's {@code Stripe-Signature} header the way stripe-java's {@code Webhook} does,
 * with what a rotating, replay-resistant endpoint needs on top: the HMAC-SHA256 of
 * {@code <t>.<raw body bytes>} under any of several endpoint secrets (during a rotation Stripe
 * signs with the old and the new secret and sends one {@code v1} per secret) must equal one of
 * the header's {@code v1} signatures, compared in constant time; and {@code t} must lie within the
 * tolerance of the injected clock in both directions (Stripe's SDK only refuses old timestamps; a
 * timestamp from the future is as suspicious). The body is hashed as received: no decoding, no
 * re-encoding, so a byte changed in transit fails.
 *
 * <p>Thread-safe and immutable. Never includes a secret, the header or the body in a result.
 */
public final class StripeSignature {
    /** Stripe's default: five minutes. */
    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);
    /** A longer header is not Stripe's (it sends a timestamp and one or two signatures). */
    private static final int MAX_HEADER_LENGTH = 4096;
    private static final String SCHEME = "v1";

    private final List<byte[]> secrets;
    private final Duration tolerance;
    private final Clock clock;

    /**
     * @param secrets   the endpoint secrets ({@code whsec_...}) that may have signed: the current one
     *                  and, while rotating, the previous ones; never empty, none blank
     * @param tolerance how far {@code t} may be from the clock, either way; positive
     */
    public StripeSignature(List<String> secrets, Duration tolerance, Clock clock) {
        Objects.requireNonNull(secrets, "secrets");
        if (secrets.isEmpty()) throw new IllegalArgumentException("at least one webhook secret is needed");
        List<byte[]> keys = new ArrayList<>(secrets.size());
        for (String secret : secrets) {
            Objects.requireNonNull(secret, "secret");
            if (secret.isBlank()) throw new IllegalArgumentException("blank webhook secret");
            keys.add(secret.getBytes(StandardCharsets.UTF_8));
        }
        this.secrets = List.copyOf(keys);
        this.tolerance = Objects.requireNonNull(tolerance, "tolerance");
        if (tolerance.isNegative() || tolerance.isZero()) throw new IllegalArgumentException("tolerance must be positive");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The outcome: {@link Valid}, or {@link Invalid} with a reason safe to return to the sender. */
    public sealed interface Result {
    }

    /** The body is Stripe's, signed at {@code timestamp} (epoch seconds). */
    public record Valid(long timestamp) implements Result {
    }

    /** Not verified; {@code reason} names what failed without echoing input or secrets. */
    public record Invalid(String reason) implements Result {
    }

    /** Checks {@code header} against the exact {@code payload} bytes. Never throws for bad input. */
    public Result verify(byte[] payload, String header) {
        Objects.requireNonNull(payload, "payload");
        if (header == null || header.isBlank()) return new Invalid("the header is missing");
        if (header.length() > MAX_HEADER_LENGTH) return new Invalid("the header is too long");
        String timestampText = null;
        List<String> signatures = new ArrayList<>(2);
        for (String item : header.split(",", -1)) {
            int eq = item.indexOf('=');
            if (eq < 0) continue;
            String key = item.substring(0, eq).strip();
            String value = item.substring(eq + 1).strip();
            if (key.equals("t") && timestampText == null) timestampText = value;
            else if (key.equals(SCHEME)) signatures.add(value);
        }
        long timestamp = parseTimestamp(timestampText);
        if (timestamp <= 0) return new Invalid("the header has no valid timestamp t");
        if (signatures.isEmpty()) return new Invalid("the header has no v1 signature");

        byte[] signedPrefix = (timestamp + ".").getBytes(StandardCharsets.US_ASCII);
        boolean matched = false;
        for (byte[] secret : secrets) {
            byte[] expected = hexBytes(hmac(secret, signedPrefix, payload));
            for (String signature : signatures) {
                // Compare every candidate, not only until the first match: the work does not depend on which one matched.
                matched |= MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.US_ASCII));
            }
        }
        if (!matched) return new Invalid("no v1 signature matches the payload under the endpoint secret");

        long now = clock.instant().getEpochSecond();
        long skew = Math.abs(now - timestamp);
        if (skew > tolerance.toSeconds()) {
            return new Invalid(timestamp < now ? "the timestamp is older than the tolerance (a replay?)"
                    : "the timestamp is in the future beyond the tolerance");
        }
        return new Valid(timestamp);
    }

    /**
     * The header Stripe would send for {@code payload} signed at {@code timestamp} with
     * {@code secret}: {@code t=<timestamp>,v1=<hex HMAC>}. For tests and local tools.
     */
    public static String sign(byte[] payload, String secret, long timestamp) {
        byte[] mac = hmac(secret.getBytes(StandardCharsets.UTF_8),
                (timestamp + ".").getBytes(StandardCharsets.US_ASCII), payload);
        return "t=" + timestamp + "," + SCHEME + "=" + HexFormat.of().formatHex(mac);
    }

    private static long parseTimestamp(String text) {
        if (text == null || text.isEmpty() || text.length() > 12) return -1;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') return -1;
        }
        return Long.parseLong(text);
    }

    private static byte[] hmac(byte[] key, byte[] prefix, byte[] payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(prefix);
            return mac.doFinal(payload);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    private static byte[] hexBytes(byte[] mac) {
        return HexFormat.of().formatHex(mac).getBytes(StandardCharsets.US_ASCII);
    }
}
