package ai.sentx.payments;

import ai.sentx.domain.payment.PaidCheckout;
import ai.sentx.domain.payment.PaymentEvent;
import ai.sentx.port.Payments.Delivery;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.time.Instant;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Reads a verified Stripe event into a {@link PaymentEvent}. Reads the raw JSON (not stripe-java's
 * {@code Event}, whose typed object is empty whenever the endpoint's API version differs from the
 * SDK's) and only the fields that move money, which are the same in every API version. Amounts
 * must be non-negative whole numbers that fit a {@code long}; ids must look like Stripe ids, since
 * they become ledger entry ids. Thread-safe.
 */
final class StripeEventReader {
    /** Stripe object ids: {@code cs_test_a1B2...}, {@code ch_...}, {@code pi_...}, {@code dp_...}, {@code evt_...}. */
    private static final Pattern STRIPE_ID = Pattern.compile("[A-Za-z0-9_]{1,255}");
    private static final Pattern CURRENCY = Pattern.compile("[a-z]{3}");
    private static final Pattern EVENT_TYPE = Pattern.compile("[a-z0-9_.]{1,100}");

    private final ObjectMapper json = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** Whether {@code value} has the shape of a Stripe object id. */
    static boolean isStripeId(String value) {
        return value != null && STRIPE_ID.matcher(value).matches();
    }

    /** The event in {@code payload}, or {@link Delivery.Unreadable} saying which field is wrong. */
    Delivery read(byte[] payload) {
        JsonNode root;
        try {
            root = json.readTree(payload);
        } catch (JsonProcessingException e) {
            return new Delivery.Unreadable("the body is not JSON");
        } catch (IOException e) {
            return new Delivery.Unreadable("the body cannot be read");
        }
        try {
            return new Delivery.Verified(event(root));
        } catch (BadField e) {
            return new Delivery.Unreadable(e.getMessage());
        }
    }

    private PaymentEvent event(JsonNode root) throws BadField {
        if (root == null || !root.isObject()) throw new BadField("the body is not a JSON object");
        if (!"event".equals(text(root, "object", false))) throw new BadField("object must be \"event\"");
        String id = stripeId(root, "id", true);
        String type = text(root, "type", true);
        if (!EVENT_TYPE.matcher(type).matches()) throw new BadField("type is not a Stripe event type");
        JsonNode data = root.get("data");
        JsonNode object = data == null ? null : data.get("object");
        if (object == null || !object.isObject()) throw new BadField("data.object must be an object");
        return switch (type) {
            case "checkout.session.completed", "checkout.session.async_payment_succeeded" -> checkout(id, type, object);
            case "charge.refunded" -> new PaymentEvent.ChargeRefunded(id, type, stripeId(object, "id", true),
                    reference(object, "payment_intent"), accountMetadata(object),
                    wholeNumber(object, "amount_refunded"), currency(object));
            case "charge.dispute.created" -> new PaymentEvent.DisputeOpened(id, type, stripeId(object, "id", true),
                    reference(object, "charge"), reference(object, "payment_intent"), accountMetadata(object),
                    wholeNumber(object, "amount"), currency(object));
            case "charge.dispute.closed" -> disputeClosed(id, type, object);
            default -> new PaymentEvent.Ignored(id, type, "event type " + type + " moves no credit");
        };
    }

    private PaymentEvent checkout(String id, String type, JsonNode session) throws BadField {
        String sessionId = stripeId(session, "id", true);
        String mode = text(session, "mode", false);
        if (!"payment".equals(mode)) {
            return new PaymentEvent.Ignored(id, type, "checkout session " + sessionId + " is not a one-time payment");
        }
        String status = text(session, "payment_status", true);
        if (!"paid".equals(status)) {
            return new PaymentEvent.Ignored(id, type, "checkout session " + sessionId + " is not paid yet (payment_status "
                    + status + "); it is credited when its payment succeeds");
        }
        String reference = text(session, "client_reference_id", false);
        String createdFor = session.path("metadata").path(StripePayments.ACCOUNT_METADATA_KEY).asText(null);
        if (reference != null && !reference.equals(createdFor)) {
            // Only sessions SentX created (they carry the account in metadata too) mint credits: a
            // Payment Link or another product on the same Stripe account may set client_reference_id.
            return new PaymentEvent.Ignored(id, type, "checkout session " + sessionId
                    + " was not created by a SentX top-up (its metadata does not name the account)");
        }
        PaidCheckout paid = new PaidCheckout(sessionId, reference, wholeNumber(session, "amount_total"),
                currency(session), reference(session, "payment_intent"),
                Instant.ofEpochSecond(wholeNumber(session, "created")));
        return new PaymentEvent.CheckoutPaid(id, type, paid);
    }

    private PaymentEvent disputeClosed(String id, String type, JsonNode dispute) throws BadField {
        String disputeId = stripeId(dispute, "id", true);
        String status = text(dispute, "status", true);
        if (!status.equals("won") && !status.equals("warning_closed")) {
            return new PaymentEvent.Ignored(id, type, "dispute " + disputeId + " closed as " + status
                    + "; its debit stands");
        }
        return new PaymentEvent.DisputeReversed(id, type, disputeId, reference(dispute, "charge"),
                reference(dispute, "payment_intent"), accountMetadata(dispute), wholeNumber(dispute, "amount"),
                currency(dispute));
    }

    /** A reference to another object: its id, or the {@code id} of the expanded object, or {@code null}. */
    private static String reference(JsonNode node, String field) throws BadField {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) return null;
        if (value.isObject()) return stripeId(value, "id", true);
        return stripeId(node, field, true);
    }

    private static String accountMetadata(JsonNode node) throws BadField {
        JsonNode metadata = node.get("metadata");
        if (metadata == null || metadata.isNull()) return null;
        if (!metadata.isObject()) throw new BadField("metadata must be an object");
        return text(metadata, StripePayments.ACCOUNT_METADATA_KEY, false);
    }

    private static String currency(JsonNode node) throws BadField {
        String currency = text(node, "currency", true).toLowerCase(Locale.ROOT);
        if (!CURRENCY.matcher(currency).matches()) throw new BadField("currency must be an ISO 4217 code");
        return currency;
    }

    /** A non-negative whole number that fits a {@code long}: never a float, a string, or a wrapped int32. */
    static long wholeNumber(JsonNode node, String field) throws BadField {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) throw new BadField(field + " is required");
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < 0) {
            throw new BadField(field + " must be a non-negative whole number that fits 64 bits");
        }
        return value.longValue();
    }

    static String stripeId(JsonNode node, String field, boolean required) throws BadField {
        String value = text(node, field, required);
        if (value != null && !STRIPE_ID.matcher(value).matches()) throw new BadField(field + " is not a Stripe id");
        return value;
    }

    private static String text(JsonNode node, String field, boolean required) throws BadField {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            if (required) throw new BadField(field + " is required");
            return null;
        }
        if (!value.isTextual()) throw new BadField(field + " must be a string");
        String text = value.asText();
        if (text.isBlank()) {
            if (required) throw new BadField(field + " is required");
            return null;
        }
        return text;
    }

    /** A field that is missing or of the wrong shape; the message names the field only. */
    static final class BadField extends Exception {
        BadField(String message) {
            super(message, null, false, false);
        }
    }
}
