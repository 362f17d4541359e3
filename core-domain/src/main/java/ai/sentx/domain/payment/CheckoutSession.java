package ai.sentx.domain.payment;

import java.util.Objects;

/**
 * A hosted payment page where an account pays for a top-up.
 *
 * @param id  the payment provider's session id (Stripe: {@code cs_...}); never blank
 * @param url where the customer's browser is sent to pay; never blank
 */
public record CheckoutSession(String id, String url) {
    public CheckoutSession {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(url, "url");
        if (id.isBlank() || url.isBlank()) throw new IllegalArgumentException("blank checkout session id or url");
    }
}
