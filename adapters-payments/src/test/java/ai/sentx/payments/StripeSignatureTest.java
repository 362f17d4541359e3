package ai.sentx.payments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.stripe.exception.SignatureVerificationException;
import com.stripe.net.Webhook;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link StripeSignature}: HMAC-SHA256 over {@code t.} + the exact body bytes, any of several
 * {@code v1} signatures, any of several endpoint secrets, five minutes either way. Headers are
 * produced by stripe-java's own generator, so the check is against Stripe's implementation, not
 * against itself.
 */
class StripeSignatureTest {
    private static final String SECRET = "whsec_test_current_0123456789abcdefABCDEF";
    private static final String OLD_SECRET = "whsec_test_previous_9876543210fedcbaFEDCBA";
    private static final Instant NOW = Instant.parse("2026-11-29T19:51:00Z");
    private static final long T = NOW.getEpochSecond();
    private static final byte[] BODY = StripeEvents.bytes(StripeEvents.recorded("checkout.session.completed"));

    private final StripeSignature verifier = verifier(List.of(SECRET));

    @Test
    void accepts_aSignatureStripeComputed() {
        assertEquals(new StripeSignature.Valid(T), verifier.verify(BODY, StripeEvents.signature(BODY, SECRET, T)));
    }

    @Test
    void signs_asStripeVerifies() throws SignatureVerificationException {
        String header = StripeSignature.sign(BODY, SECRET, T);

        assertTrue(Webhook.Signature.verifyHeader(new String(BODY, StandardCharsets.UTF_8), header, SECRET, 300,
                Clock.fixed(NOW, ZoneOffset.UTC)));
        assertEquals(StripeEvents.signature(BODY, SECRET, T), header);
    }

    @Test
    void refuses_aSignatureMadeWithAnotherSecret() {
        String header = StripeEvents.signature(BODY, "whsec_someone_else_0123456789", T);

        assertInvalid(verifier.verify(BODY, header), "no v1 signature matches");
    }

    @Test
    void refuses_aStaleTimestamp_beyondFiveMinutes() {
        long stale = T - 301;

        assertInvalid(verifier.verify(BODY, StripeEvents.signature(BODY, SECRET, stale)), "older than the tolerance");
    }

    @Test
    void accepts_aTimestampExactlyFiveMinutesOld_orAhead() {
        assertInstanceOf(StripeSignature.Valid.class, verifier.verify(BODY, StripeEvents.signature(BODY, SECRET, T - 300)));
        assertInstanceOf(StripeSignature.Valid.class, verifier.verify(BODY, StripeEvents.signature(BODY, SECRET, T + 300)));
    }

    @Test
    void refuses_aFutureDatedTimestamp_beyondFiveMinutes() {
        long future = T + 301;

        assertInvalid(verifier.verify(BODY, StripeEvents.signature(BODY, SECRET, future)), "in the future");
    }

    @Test
    void refuses_aTamperedBody_evenByOneByte() {
        String header = StripeEvents.signature(BODY, SECRET, T);
        String text = new String(BODY, StandardCharsets.UTF_8);
        byte[] richer = text.replace("\"amount_total\":2500", "\"amount_total\":9500").getBytes(StandardCharsets.UTF_8);
        byte[] flipped = Arrays.copyOf(BODY, BODY.length);
        flipped[flipped.length / 2] ^= 1;
        byte[] longer = (text + " ").getBytes(StandardCharsets.UTF_8);

        assertInvalid(verifier.verify(richer, header), "no v1 signature matches");
        assertInvalid(verifier.verify(flipped, header), "no v1 signature matches");
        assertInvalid(verifier.verify(longer, header), "no v1 signature matches");
    }

    @Test
    void verifiesTheRawBytes_notARecodedString() {
        // Latin-1 bytes that are not valid UTF-8: a decode-then-encode round trip would change them.
        byte[] raw = "{\"name\":\"Ca\u00f1a\"}".getBytes(StandardCharsets.ISO_8859_1);
        String header = StripeSignature.sign(raw, SECRET, T);

        assertInstanceOf(StripeSignature.Valid.class, verifier.verify(raw, header));
        byte[] recoded = new String(raw, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8);
        assertInvalid(verifier.verify(recoded, header), "no v1 signature matches");
    }

    @Test
    void accepts_anyOfSeveralV1Signatures() {
        String good = StripeEvents.signature(BODY, SECRET, T).split(",")[1];
        String header = "t=" + T + ",v1=" + "0".repeat(64) + ",v0=" + "1".repeat(64) + ",v1=" + "a".repeat(64) + "," + good;

        assertEquals(new StripeSignature.Valid(T), verifier.verify(BODY, header));
    }

    @Test
    void accepts_theOldSecretsSignature_whileTheSecretRotates() {
        StripeSignature rotating = verifier(List.of(SECRET, OLD_SECRET));
        String oldOnly = StripeEvents.signature(BODY, OLD_SECRET, T);
        String both = oldOnly + ",v1=" + StripeEvents.signature(BODY, SECRET, T).split("v1=")[1];

        assertInstanceOf(StripeSignature.Valid.class, rotating.verify(BODY, oldOnly));
        assertInstanceOf(StripeSignature.Valid.class, rotating.verify(BODY, both));
        assertInstanceOf(StripeSignature.Valid.class, verifier.verify(BODY, both));
        assertInvalid(verifier.verify(BODY, oldOnly), "no v1 signature matches");
    }

    @Test
    void refuses_aMissingOrMalformedHeader() {
        String sig = StripeEvents.signature(BODY, SECRET, T).split(",")[1];

        assertInvalid(verifier.verify(BODY, null), "missing");
        assertInvalid(verifier.verify(BODY, ""), "missing");
        assertInvalid(verifier.verify(BODY, sig), "no valid timestamp");
        assertInvalid(verifier.verify(BODY, "t=" + T), "no v1 signature");
        assertInvalid(verifier.verify(BODY, "t=" + T + ",v0=" + "1".repeat(64)), "no v1 signature");
        assertInvalid(verifier.verify(BODY, "t=abc," + sig), "no valid timestamp");
        assertInvalid(verifier.verify(BODY, "t=-5," + sig), "no valid timestamp");
        assertInvalid(verifier.verify(BODY, "t=99999999999999999999," + sig), "no valid timestamp");
        assertInvalid(verifier.verify(BODY, "garbage"), "no valid timestamp");
        assertInvalid(verifier.verify(BODY, "t=" + T + "," + sig + ",".repeat(5000)), "too long");
    }

    @Test
    void refuses_anUppercaseHexSignature_asStripeDoes() {
        String header = StripeEvents.signature(BODY, SECRET, T);
        String upper = header.substring(0, header.indexOf("v1=") + 3) + header.substring(header.indexOf("v1=") + 3).toUpperCase();

        assertInvalid(verifier.verify(BODY, upper), "no v1 signature matches");
    }

    @Test
    void neverEchoesTheSecretOrTheHeader_inAReason() {
        String header = StripeEvents.signature(BODY, "whsec_someone_else_0123456789", T);
        StripeSignature.Invalid invalid = (StripeSignature.Invalid) verifier.verify(BODY, header);

        assertFalse(invalid.reason().contains(SECRET));
        assertFalse(invalid.reason().contains(header.split("v1=")[1]));
    }

    @Test
    void needsAtLeastOneSecret_andAPositiveTolerance() {
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

        assertThrows(IllegalArgumentException.class, () -> new StripeSignature(List.of(), Duration.ofMinutes(5), clock));
        assertThrows(IllegalArgumentException.class, () -> new StripeSignature(List.of(" "), Duration.ofMinutes(5), clock));
        assertThrows(IllegalArgumentException.class, () -> new StripeSignature(List.of(SECRET), Duration.ZERO, clock));
    }

    private static StripeSignature verifier(List<String> secrets) {
        return new StripeSignature(secrets, StripeSignature.DEFAULT_TOLERANCE, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private static void assertInvalid(StripeSignature.Result result, String reasonPart) {
        StripeSignature.Invalid invalid = assertInstanceOf(StripeSignature.Invalid.class, result);
        assertTrue(invalid.reason().contains(reasonPart), () -> "reason: " + invalid.reason());
    }
}
