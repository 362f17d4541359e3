package ai.sentx.payments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sentx.domain.payment.PaidCheckout;
import ai.sentx.domain.payment.PaymentEvent;
import ai.sentx.port.Payments.Delivery;
import ai.sentx.port.PaymentsException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link StripePayments#readEvent}: recorded Stripe events from {@code src/test/resources/events/}
 * read into payment events, after the signature check; amounts as 64-bit whole cents only.
 */
class StripePaymentsEventsTest {
    private static final String SECRET = "whsec_test_0123456789abcdefghijklmnop";
    private static final Instant NOW = Instant.parse("2026-11-29T19:51:00Z");

    private final StripePayments payments = new StripePayments(
            new StripeSettings(null, List.of(SECRET), StripeSettings.DEFAULT_API_BASE, null, null),
            Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void reads_aPaidCheckoutSession() throws PaymentsException {
        PaymentEvent.CheckoutPaid paid = assertInstanceOf(PaymentEvent.CheckoutPaid.class,
                verified(StripeEvents.bytes(StripeEvents.recorded("checkout.session.completed"))));

        assertEquals("evt_1QsX0vK2eZvKYlo2C1dG7kWb", paid.id());
        assertEquals("checkout.session.completed", paid.type());
        assertEquals(new PaidCheckout("cs_test_a1Q9xYbE3sJvV0nT2uWq8RkLm5pZcD7fGh4iJk6LmNo8PqRs", "acct_demo", 2500,
                "usd", "pi_3QsX0tK2eZvKYlo20Wn1AbCd", Instant.ofEpochSecond(1764440950)), paid.checkout());
    }

    @Test
    void reads_anAsyncPaymentSuccess_asAPaidCheckout() throws PaymentsException {
        PaymentEvent event = verified(StripeEvents.bytes(StripeEvents.recorded("checkout.session.async_payment_succeeded")));

        assertEquals("checkout.session.async_payment_succeeded",
                assertInstanceOf(PaymentEvent.CheckoutPaid.class, event).type());
    }

    @Test
    void ignores_aCompletedSessionWhosePaymentIsStillPending() throws PaymentsException {
        PaymentEvent event = verified(StripeEvents.bytes(StripeEvents.recorded("checkout.session.completed.unpaid")));

        assertTrue(assertInstanceOf(PaymentEvent.Ignored.class, event).reason().contains("not paid yet"));
    }

    @Test
    void ignores_aPaidSessionThatSentxDidNotCreate_evenWithAnAccountAsClientReference() throws PaymentsException {
        ObjectNode event = StripeEvents.recorded("checkout.session.completed");
        StripeEvents.object(event).putObject("metadata");

        PaymentEvent.Ignored ignored = assertInstanceOf(PaymentEvent.Ignored.class, verified(StripeEvents.bytes(event)));
        assertTrue(ignored.reason().contains("not created by a SentX top-up"), ignored.reason());
    }

    @Test
    void ignores_aSessionThatIsNotAOneTimePayment() throws PaymentsException {
        ObjectNode event = StripeEvents.recorded("checkout.session.completed");
        StripeEvents.object(event).put("mode", "subscription");

        assertInstanceOf(PaymentEvent.Ignored.class, verified(StripeEvents.bytes(event)));
    }

    @Test
    void reads_aRefund_withTheChargesCumulativeRefundedAmountAndItsAccount() throws PaymentsException {
        PaymentEvent.ChargeRefunded refund = assertInstanceOf(PaymentEvent.ChargeRefunded.class,
                verified(StripeEvents.bytes(StripeEvents.recorded("charge.refunded"))));

        assertEquals(new PaymentEvent.ChargeRefunded("evt_3QsZ9kK2eZvKYlo21Ab2Cd3E", "charge.refunded",
                "ch_3QsX0tK2eZvKYlo20jK9Lm2N", "pi_3QsX0tK2eZvKYlo20Wn1AbCd", "acct_demo", 1000, "usd"), refund);
    }

    @Test
    void reads_aRefundWithoutAccountMetadata() throws PaymentsException {
        PaymentEvent.ChargeRefunded refund = assertInstanceOf(PaymentEvent.ChargeRefunded.class,
                verified(StripeEvents.chargeRefunded("evt_r1", "ch_1", "pi_1", null, 700)));

        assertNull(refund.accountRef());
        assertEquals(700, refund.refundedCents());
    }

    @Test
    void reads_aDispute_andItsWonClosing_andIgnoresALostOne() throws PaymentsException {
        PaymentEvent.DisputeOpened opened = assertInstanceOf(PaymentEvent.DisputeOpened.class,
                verified(StripeEvents.bytes(StripeEvents.recorded("charge.dispute.created"))));
        PaymentEvent.DisputeReversed won = assertInstanceOf(PaymentEvent.DisputeReversed.class,
                verified(StripeEvents.bytes(StripeEvents.recorded("charge.dispute.closed"))));
        PaymentEvent lost = verified(StripeEvents.disputeClosed("evt_l1", "dp_1", "ch_1", "pi_1", 2500, "lost"));
        PaymentEvent inquiryClosed = verified(StripeEvents.disputeClosed("evt_w1", "dp_2", "ch_1", "pi_1", 2500,
                "warning_closed"));

        assertEquals(new PaymentEvent.DisputeOpened("evt_1QsZaCK2eZvKYlo2Kk9Jj8Hh", "charge.dispute.created",
                "dp_1QsZaBK2eZvKYlo2Ux7Yz8Wv", "ch_3QsX0tK2eZvKYlo20jK9Lm2N", "pi_3QsX0tK2eZvKYlo20Wn1AbCd", null, 2500,
                "usd"), opened);
        assertEquals(2500, won.amountCents());
        assertInstanceOf(PaymentEvent.Ignored.class, lost);
        assertInstanceOf(PaymentEvent.DisputeReversed.class, inquiryClosed);
    }

    @Test
    void ignores_eventTypesThatMoveNoCredit() throws PaymentsException {
        PaymentEvent.Ignored ignored = assertInstanceOf(PaymentEvent.Ignored.class,
                verified(StripeEvents.bytes(StripeEvents.recorded("payment_intent.succeeded"))));

        assertEquals("payment_intent.succeeded", ignored.type());
    }

    @Test
    void reads_amountsBeyond32Bits_exactly() throws PaymentsException {
        ObjectNode event = StripeEvents.recorded("checkout.session.completed");
        StripeEvents.object(event).put("amount_total", 3_000_000_000L);

        PaymentEvent.CheckoutPaid paid = assertInstanceOf(PaymentEvent.CheckoutPaid.class, verified(StripeEvents.bytes(event)));

        assertEquals(3_000_000_000L, paid.checkout().amountCents());
    }

    @Test
    void findsUnreadable_amountsThatAreNegativeFractionalTextualOrBeyond64Bits() throws PaymentsException {
        for (Object amount : List.of(-1, 25.5, "2500", new BigInteger("9223372036854775808"))) {
            ObjectNode event = StripeEvents.recorded("checkout.session.completed");
            ObjectNode session = StripeEvents.object(event);
            switch (amount) {
                case Integer i -> session.put("amount_total", i);
                case Double d -> session.put("amount_total", d);
                case String s -> session.put("amount_total", s);
                case BigInteger b -> session.put("amount_total", b);
                default -> throw new IllegalStateException();
            }

            Delivery delivery = read(StripeEvents.bytes(event));

            assertTrue(assertInstanceOf(Delivery.Unreadable.class, delivery, amount::toString).reason()
                    .contains("amount_total"), delivery::toString);
        }
    }

    @Test
    void findsUnreadable_aBodyThatIsNotOneStripeEvent() throws PaymentsException {
        ObjectNode noId = StripeEvents.recorded("charge.refunded");
        noId.remove("id");
        ObjectNode oddId = StripeEvents.recorded("charge.refunded");
        StripeEvents.object(oddId).put("id", "ch_1,\"=cmd\"");
        String duplicateKeys = "{\"id\":\"evt_1\",\"id\":\"evt_2\",\"object\":\"event\",\"type\":\"x.y\",\"data\":{\"object\":{}}}";

        for (byte[] body : List.of("not json".getBytes(StandardCharsets.UTF_8), "[]".getBytes(StandardCharsets.UTF_8),
                "{}{}".getBytes(StandardCharsets.UTF_8), duplicateKeys.getBytes(StandardCharsets.UTF_8),
                StripeEvents.bytes(noId), StripeEvents.bytes(oddId))) {
            assertInstanceOf(Delivery.Unreadable.class, read(body), () -> new String(body, StandardCharsets.UTF_8));
        }
    }

    @Test
    void checksTheSignatureBeforeReadingAnything() throws PaymentsException {
        byte[] body = "not json".getBytes(StandardCharsets.UTF_8);

        assertInstanceOf(Delivery.Forged.class, payments.readEvent(body, "t=1,v1=00"));
        assertInstanceOf(Delivery.Forged.class, payments.readEvent(body, null));
    }

    @Test
    void refusesEveryEvent_whenNoWebhookSecretIsConfigured() {
        StripePayments unconfigured = new StripePayments(
                new StripeSettings(null, List.of(), StripeSettings.DEFAULT_API_BASE, null, null),
                Clock.fixed(NOW, ZoneOffset.UTC));
        byte[] body = StripeEvents.bytes(StripeEvents.recorded("checkout.session.completed"));

        PaymentsException e = assertThrows(PaymentsException.class,
                () -> unconfigured.readEvent(body, StripeEvents.signature(body, SECRET, NOW.getEpochSecond())));
        assertEquals(PaymentsException.Kind.NOT_CONFIGURED, e.kind());
    }

    private PaymentEvent verified(byte[] body) throws PaymentsException {
        Delivery delivery = read(body);
        return assertInstanceOf(Delivery.Verified.class, delivery, delivery::toString).event();
    }

    private Delivery read(byte[] body) throws PaymentsException {
        return payments.readEvent(body, StripeEvents.signature(body, SECRET, NOW.getEpochSecond()));
    }
}
