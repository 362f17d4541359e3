package ai.sentx.payments;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.stripe.net.Webhook;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;

/**
 * Stripe events for tests: the recorded payloads under {@code src/test/resources/events/} with the
 * ids and amounts a test needs, and {@code Stripe-Signature} headers computed by stripe-java's own
 * {@link Webhook.Signature} (an implementation independent of the code under test).
 */
public final class StripeEvents {
    private static final ObjectMapper JSON = new ObjectMapper();

    private StripeEvents() {
    }

    /** The recorded event {@code events/<name>.json}, as a tree the test may change. */
    public static ObjectNode recorded(String name) {
        try (InputStream in = StripeEvents.class.getResourceAsStream("/events/" + name + ".json")) {
            if (in == null) throw new IllegalArgumentException("no recorded event " + name);
            return (ObjectNode) JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The data object of {@code event}. */
    public static ObjectNode object(ObjectNode event) {
        return (ObjectNode) event.get("data").get("object");
    }

    /** {@code checkout.session.completed}, paid, for {@code account}. */
    public static byte[] checkoutCompleted(String eventId, String sessionId, String account, long amountCents,
                                           String paymentIntent) {
        return checkout("checkout.session.completed", eventId, sessionId, account, amountCents, paymentIntent);
    }

    /** {@code checkout.session.async_payment_succeeded} for {@code account}. */
    public static byte[] asyncPaymentSucceeded(String eventId, String sessionId, String account, long amountCents,
                                               String paymentIntent) {
        return checkout("checkout.session.async_payment_succeeded", eventId, sessionId, account, amountCents,
                paymentIntent);
    }

    /**
     * {@code charge.refunded} with the charge's cumulative {@code amount_refunded}.
     *
     * @param accountMetadata the {@code sentx_account} metadata the charge carries, or {@code null} for none
     */
    public static byte[] chargeRefunded(String eventId, String chargeId, String paymentIntent, String accountMetadata,
                                        long amountRefunded) {
        ObjectNode event = recorded("charge.refunded");
        event.put("id", eventId);
        ObjectNode charge = object(event);
        charge.put("id", chargeId);
        charge.put("payment_intent", paymentIntent);
        charge.put("amount_refunded", amountRefunded);
        charge.put("refunded", amountRefunded >= charge.get("amount").asLong());
        if (accountMetadata == null) charge.putObject("metadata");
        else charge.putObject("metadata").put(StripePayments.ACCOUNT_METADATA_KEY, accountMetadata);
        return bytes(event);
    }

    /** {@code charge.dispute.created} for {@code amount} cents. */
    public static byte[] disputeCreated(String eventId, String disputeId, String chargeId, String paymentIntent,
                                        long amount) {
        return dispute("charge.dispute.created", eventId, disputeId, chargeId, paymentIntent, amount, "needs_response");
    }

    /** {@code charge.dispute.closed} with {@code status} ({@code won}, {@code lost}, {@code warning_closed}). */
    public static byte[] disputeClosed(String eventId, String disputeId, String chargeId, String paymentIntent,
                                       long amount, String status) {
        return dispute("charge.dispute.closed", eventId, disputeId, chargeId, paymentIntent, amount, status);
    }

    /** A {@code Stripe-Signature} header for {@code payload}, as Stripe computes it. */
    public static String signature(byte[] payload, String secret, long epochSeconds) {
        try {
            return Webhook.Signature.generateSignatureHeader(new String(payload, StandardCharsets.UTF_8), secret,
                    epochSeconds);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static byte[] bytes(JsonNode event) {
        try {
            return JSON.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] checkout(String type, String eventId, String sessionId, String account, long amountCents,
                                   String paymentIntent) {
        ObjectNode event = recorded(type);
        event.put("id", eventId);
        ObjectNode session = object(event);
        session.put("id", sessionId);
        session.put("client_reference_id", account);
        session.putObject("metadata").put(StripePayments.ACCOUNT_METADATA_KEY, account);
        session.put("amount_subtotal", amountCents);
        session.put("amount_total", amountCents);
        session.put("payment_intent", paymentIntent);
        return bytes(event);
    }

    private static byte[] dispute(String type, String eventId, String disputeId, String chargeId, String paymentIntent,
                                  long amount, String status) {
        ObjectNode event = recorded(type);
        event.put("id", eventId);
        ObjectNode dispute = object(event);
        dispute.put("id", disputeId);
        dispute.put("charge", chargeId);
        dispute.put("payment_intent", paymentIntent);
        dispute.put("amount", amount);
        dispute.put("status", status);
        return bytes(event);
    }
}
