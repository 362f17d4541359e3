package ai.sentx.payments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sentx.domain.AccountId;
import ai.sentx.domain.payment.CheckoutSession;
import ai.sentx.domain.payment.PaidCheckout;
import ai.sentx.port.PaymentsException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link StripePayments} through the real stripe-java client against {@link StripeStandIn}, a local
 * HTTP server in Stripe's place: the form parameters of a Checkout Session, the listing of paid
 * sessions across pages, and failures that never reveal the key.
 */
class StripePaymentsCheckoutTest {
    private static final String KEY = "sk_test_standin_51AbCdEfGhIjKlMnOpQrStUv";
    private static final String SUCCESS = "https://sentx.example/account?topup=success&session_id={CHECKOUT_SESSION_ID}";
    private static final String CANCEL = "https://sentx.example/account?topup=cancelled";
    private static final AccountId ACCOUNT = new AccountId("acct_ada");

    private final StripeStandIn stripe = StripeStandIn.start(KEY);
    private final StripePayments payments = payments(KEY);

    @AfterEach
    void stop() {
        stripe.close();
    }

    @Test
    void createsAOneTimeUsdCheckoutSession_namingTheAccount_withTheConfiguredUrls() throws PaymentsException {
        CheckoutSession session = payments.createCheckout(ACCOUNT, 2_500);

        StripeStandIn.Request request = stripe.requests().getLast();
        assertEquals("POST", request.method());
        assertEquals("/v1/checkout/sessions", request.path());
        assertEquals("Bearer " + KEY, request.authorization());
        Map<String, String> p = request.params();
        assertEquals("payment", p.get("mode"));
        assertEquals("acct_ada", p.get("client_reference_id"));
        assertEquals("2500", p.get("line_items[0][price_data][unit_amount]"));
        assertEquals("usd", p.get("line_items[0][price_data][currency]"));
        assertEquals("SentX credits", p.get("line_items[0][price_data][product_data][name]"));
        assertEquals("1", p.get("line_items[0][quantity]"));
        assertEquals(SUCCESS, p.get("success_url"));
        assertEquals(CANCEL, p.get("cancel_url"));
        assertEquals("acct_ada", p.get("metadata[sentx_account]"));
        assertEquals("acct_ada", p.get("payment_intent_data[metadata][sentx_account]"));
        assertNotNull(request.idempotencyKey(), "stripe-java sends an idempotency key, so its retries create one session");

        StripeStandIn.Session stored = stripe.sessions().getLast();
        assertEquals(new CheckoutSession(stored.id(), "https://checkout.stripe.test/c/pay/" + stored.id()), session);
    }

    @Test
    void sendsAmountsBeyond32Bits_exactly() throws PaymentsException {
        payments.createCheckout(ACCOUNT, 3_000_000_000L);

        assertEquals("3000000000", stripe.requests().getLast().params().get("line_items[0][price_data][unit_amount]"));
    }

    @Test
    void failsAsUnavailable_withoutRevealingTheKey_whenStripeFails() {
        stripe.failWith(500);

        PaymentsException e = assertThrows(PaymentsException.class, () -> payments.createCheckout(ACCOUNT, 500));

        assertEquals(PaymentsException.Kind.UNAVAILABLE, e.kind());
        assertFalse(e.getMessage().contains(KEY));
        assertEquals(null, e.getCause());
    }

    @Test
    void failsAsUnavailable_whenStripeRefusesTheKey() {
        StripePayments wrongKey = payments("sk_test_wrong_000000000000000000000000");

        PaymentsException e = assertThrows(PaymentsException.class, () -> wrongKey.createCheckout(ACCOUNT, 500));

        assertEquals(PaymentsException.Kind.UNAVAILABLE, e.kind());
        assertFalse(e.getMessage().contains("sk_test_wrong"));
    }

    @Test
    void refusesAsNotConfigured_withoutASecretKey() {
        StripePayments noKey = new StripePayments(new StripeSettings(null, List.of("whsec_x"), stripe.apiBase(), null,
                null), Clock.systemUTC());

        assertEquals(PaymentsException.Kind.NOT_CONFIGURED,
                assertThrows(PaymentsException.class, () -> noKey.createCheckout(ACCOUNT, 500)).kind());
        assertEquals(PaymentsException.Kind.NOT_CONFIGURED,
                assertThrows(PaymentsException.class, () -> noKey.paidCheckoutsSince(Instant.EPOCH)).kind());
        assertTrue(stripe.requests().isEmpty(), "nothing reached Stripe");
    }

    @Test
    void listsThePaidSessionsSinceAnInstant_acrossPages() throws PaymentsException {
        Instant now = Instant.now();
        Instant since = now.minus(Duration.ofDays(7));
        for (int i = 0; i < 230; i++) stripe.addPaidSession("acct_" + i, 500 + i, "usd", now.minusSeconds(i));
        stripe.addPaidSession("acct_old", 900, "usd", since.minusSeconds(1));
        stripe.addSession(new StripeStandIn.Session("cs_test_unpaid", "acct_x", 700, "usd", "pi_unpaid",
                now.getEpochSecond(), "complete", "unpaid", "payment"));
        stripe.addSession(new StripeStandIn.Session("cs_test_open", "acct_x", 700, "usd", null,
                now.getEpochSecond(), "open", "unpaid", "payment"));

        List<PaidCheckout> paid = payments.paidCheckoutsSince(since);

        assertEquals(230, paid.size());
        assertEquals(230, paid.stream().map(PaidCheckout::sessionId).distinct().count());
        PaidCheckout newest = paid.stream().max(Comparator.comparing(PaidCheckout::created)).orElseThrow();
        assertEquals(new PaidCheckout("cs_test_standin1", "acct_0", 500, "usd", "pi_test_standin1",
                Instant.ofEpochSecond(now.getEpochSecond())), newest);
        List<StripeStandIn.Request> lists = stripe.requests();
        assertEquals(3, lists.size(), "three pages of at most 100");
        assertEquals(Long.toString(since.getEpochSecond()), lists.getFirst().params().get("created[gte]"));
        assertEquals("complete", lists.getFirst().params().get("status"));
        assertEquals("100", lists.getFirst().params().get("limit"));
        assertNotNull(lists.get(1).params().get("starting_after"));
    }

    @Test
    void failsAsUnavailable_whenAListPageFails() {
        stripe.failWith(503);

        assertEquals(PaymentsException.Kind.UNAVAILABLE,
                assertThrows(PaymentsException.class, () -> payments.paidCheckoutsSince(Instant.EPOCH)).kind());
    }

    @Test
    void neverPrintsTheKeyOrWebhookSecrets_inItsSettings() {
        StripeSettings settings = new StripeSettings(KEY, List.of("whsec_a1", "whsec_b2"), stripe.apiBase(), SUCCESS,
                CANCEL);

        assertFalse(settings.toString().contains(KEY));
        assertFalse(settings.toString().contains("whsec_"));
    }

    @Test
    void refusesSettings_thatCannotWork() {
        assertThrows(IllegalArgumentException.class,
                () -> new StripeSettings(KEY, List.of(), StripeSettings.DEFAULT_API_BASE, null, CANCEL));
        assertThrows(IllegalArgumentException.class,
                () -> new StripeSettings(KEY, List.of(), StripeSettings.DEFAULT_API_BASE, "ftp://x/ok", CANCEL));
        assertThrows(IllegalArgumentException.class,
                () -> new StripeSettings(null, List.of(), "not a url", null, null));
        assertEquals(List.of("whsec_new", "whsec_old"), StripeSettings.secretList(" whsec_new , whsec_old,,"));
    }

    private StripePayments payments(String key) {
        return new StripePayments(new StripeSettings(key, List.of(), stripe.apiBase(), SUCCESS, CANCEL),
                Clock.systemUTC());
    }
}
