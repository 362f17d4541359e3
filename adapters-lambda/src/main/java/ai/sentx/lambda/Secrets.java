package ai.sentx.lambda;

import ai.sentx.payments.StripeSettings;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;

/**
 * The deployment's secrets, read once per execution environment: from Secrets Manager when an ARN
 * is configured, else from the environment (tests, {@code sam local}). Values are never logged and
 * never part of an exception message.
 *
 * @param keyHashSecret  the API-key HMAC secret (at least 32 bytes)
 * @param stripeSecretKey Stripe's API key, or {@code null}
 * @param webhookSecrets the Stripe endpoint secrets (current first); may be empty
 */
public record Secrets(byte[] keyHashSecret, String stripeSecretKey, List<String> webhookSecrets) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Checks the HMAC secret's length. */
    public Secrets {
        if (keyHashSecret == null || keyHashSecret.length < 32) {
            throw new IllegalArgumentException("the API-key hash secret needs at least 32 bytes");
        }
        webhookSecrets = List.copyOf(webhookSecrets);
    }

    /**
     * Resolves the secrets.
     *
     * @param fetch reads a Secrets Manager secret's string by ARN (called only for configured ARNs)
     * @throws IllegalArgumentException naming the secret that is missing or malformed
     */
    public static Secrets resolve(ApiConfig.SecretSources sources, Function<String, String> fetch) {
        String keyHash = sources.keyHashSecretArn() != null ? fetch.apply(sources.keyHashSecretArn()) : sources.keyHashSecret();
        if (keyHash == null || keyHash.getBytes(StandardCharsets.UTF_8).length < 32) {
            throw new IllegalArgumentException((sources.keyHashSecretArn() != null ? "the secret "
                    + sources.keyHashSecretArn() : "SENTX_KEY_HASH_SECRET") + " needs at least 32 bytes");
        }
        String stripeKey = sources.stripeSecretKey();
        String webhook = sources.stripeWebhookSecret();
        if (sources.stripeSecretArn() != null) {
            // A fetch failure (Secrets Manager unreachable, secret missing) propagates as it is; only
            // what the secret holds is judged here.
            String value = fetch.apply(sources.stripeSecretArn());
            JsonNode stripe;
            try {
                stripe = value == null ? null : JSON.readTree(value);
            } catch (IOException e) {
                stripe = null;
            }
            if (stripe == null || !stripe.isObject()) {
                throw new IllegalArgumentException("the secret " + sources.stripeSecretArn()
                        + " must be JSON {\"secretKey\": \"sk_...\", \"webhookSecret\": \"whsec_...\"}");
            }
            stripeKey = blank(stripe.path("secretKey").asText(null));
            webhook = blank(stripe.path("webhookSecret").asText(null));
        }
        return new Secrets(keyHash.getBytes(StandardCharsets.UTF_8), stripeKey, StripeSettings.secretList(webhook));
    }

    /** Never prints a secret. */
    @Override
    public String toString() {
        return "Secrets[keyHashSecret=(" + keyHashSecret.length + " bytes), stripeSecretKey="
                + (stripeSecretKey == null ? "none" : "(set)") + ", webhookSecrets=" + webhookSecrets.size() + "]";
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
