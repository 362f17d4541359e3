package ai.sentx.payments;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * How to reach Stripe. Either half may be missing: without {@code secretKey} no checkout can be
 * created or listed; without webhook secrets no notification is trusted.
 *
 * @param secretKey      the API key ({@code sk_...} or a restricted {@code rk_...}), or {@code null}
 * @param webhookSecrets the endpoint secrets ({@code whsec_...}) whose signatures are accepted:
 *                       the current one first, then any still rotating out; may be empty
 * @param apiBase        Stripe's API origin; {@link #DEFAULT_API_BASE} unless a stand-in is used
 * @param successUrl     where Checkout sends the payer after paying; may contain Stripe's
 *                       {@code {CHECKOUT_SESSION_ID}} placeholder; required with a key
 * @param cancelUrl      where Checkout sends a payer who gives up; required with a key
 */
public record StripeSettings(String secretKey, List<String> webhookSecrets, String apiBase, String successUrl,
                             String cancelUrl) {
    /** Stripe's API. */
    public static final String DEFAULT_API_BASE = "https://api.stripe.com";

    public StripeSettings {
        webhookSecrets = List.copyOf(Objects.requireNonNull(webhookSecrets, "webhookSecrets"));
        if (webhookSecrets.stream().anyMatch(String::isBlank)) throw new IllegalArgumentException("blank webhook secret");
        Objects.requireNonNull(apiBase, "apiBase");
        requireHttpUrl(apiBase, "the Stripe API base");
        if (secretKey != null) {
            if (secretKey.isBlank()) throw new IllegalArgumentException("blank Stripe secret key");
            if (successUrl == null || cancelUrl == null) {
                throw new IllegalArgumentException("a Stripe secret key needs the top-up success and cancel URLs");
            }
        }
        if (successUrl != null) requireHttpUrl(successUrl, "the top-up success URL");
        if (cancelUrl != null) requireHttpUrl(cancelUrl, "the top-up cancel URL");
    }

    /** Splits a comma-separated list of webhook secrets (rotation), dropping blanks; {@code null} gives none. */
    public static List<String> secretList(String commaSeparated) {
        if (commaSeparated == null) return List.of();
        return Arrays.stream(commaSeparated.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /** Whether checkout sessions can be created and listed. */
    public boolean hasSecretKey() {
        return secretKey != null;
    }

    /** Never prints the key or the webhook secrets. */
    @Override
    public String toString() {
        return "StripeSettings[secretKey=" + (secretKey == null ? "none" : "set") + ", webhookSecrets="
                + webhookSecrets.size() + ", apiBase=" + apiBase + ", successUrl=" + successUrl + ", cancelUrl="
                + cancelUrl + "]";
    }

    private static void requireHttpUrl(String url, String what) {
        try {
            URI uri = new URI(url.replace("{CHECKOUT_SESSION_ID}", "cs"));
            String scheme = uri.getScheme();
            if (uri.getHost() == null || scheme == null
                    || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
                throw new IllegalArgumentException(what + " must be an absolute http(s) URL");
            }
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(what + " is not a valid URL");
        }
    }
}
