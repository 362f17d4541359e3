package ai.sentx.local;

import static ai.sentx.local.Api.assertError;
import static ai.sentx.local.Api.chatBody;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sentx.domain.LedgerEntry;
import ai.sentx.local.Api.Response;
import ai.sentx.payments.StripeEvents;
import ai.sentx.payments.StripeStandIn;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Credits end to end on the local server (issue 6): {@code POST /account/topups} creates a Stripe
 * Checkout Session through stripe-java against {@link StripeStandIn}; {@code POST /webhooks/stripe}
 * takes events signed the way Stripe signs them with the configured endpoint secret; refunds can
 * take the balance below zero, and then chat answers {@code 402} until the next top-up.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TopUpsIT {
    private static final String KEY = "sk_test_e2e_standin_0123456789abcdefghijkl";
    private static final String SECRET = "whsec_e2e_current_0123456789abcdef";
    private static final String OLD_SECRET = "whsec_e2e_previous_fedcba9876543210";
    private static final String SUCCESS = "https://sentx.example/account?topup=success&session_id={CHECKOUT_SESSION_ID}";
    private static final String CANCEL = "https://sentx.example/account?topup=cancelled";
    private static final String DEMO = LocalServer.DEMO_ACCOUNT.value();

    private final StripeStandIn stripe = StripeStandIn.start(KEY);
    private final List<LocalServer> servers = new ArrayList<>();

    @AfterEach
    void stop() {
        servers.forEach(LocalServer::close);
        stripe.close();
    }

    // ---- POST /account/topups ----

    @Test
    void topUp_createsAStripeCheckoutSession_andReturnsItsUrl() {
        Api api = server();

        Response r = api.account("POST", "/account/topups", "{\"amount_cents\": 2500}");

        assertEquals(200, r.status(), r::toString);
        StripeStandIn.Session session = stripe.sessions().getLast();
        assertEquals(session.id(), r.json().get("id").asText());
        assertEquals("https://checkout.stripe.test/c/pay/" + session.id(), r.json().get("url").asText());
        Map<String, String> sent = stripe.requests().getLast().params();
        assertEquals("payment", sent.get("mode"));
        assertEquals(DEMO, sent.get("client_reference_id"));
        assertEquals("2500", sent.get("line_items[0][price_data][unit_amount]"));
        assertEquals("usd", sent.get("line_items[0][price_data][currency]"));
        assertEquals(SUCCESS, sent.get("success_url"));
        assertEquals(CANCEL, sent.get("cancel_url"));
        assertEquals(0, api.balance(), "nothing is credited before Stripe says it was paid");
    }

    @Test
    void topUp_accepts500And100000Cents_andRefuses499And100001() {
        Api api = server();

        assertError(topUp(api, "499"), 400, "invalid_parameter", "amount_cents");
        assertEquals(200, topUp(api, "500").status());
        assertEquals(200, topUp(api, "100000").status());
        assertError(topUp(api, "100001"), 400, "invalid_parameter", "amount_cents");

        assertEquals(List.of("500", "100000"), stripe.requests().stream()
                .map(req -> req.params().get("line_items[0][price_data][unit_amount]")).toList());
    }

    @Test
    void topUp_refusesAmountsThatAreNotWholeCents() {
        Api api = server();

        for (String amount : List.of("\"2500\"", "2500.5", "-500", "92233720368547758070", "true", "{}")) {
            assertError(topUp(api, amount), 400, "invalid_parameter", "amount_cents");
        }
        assertError(api.account("POST", "/account/topups", "{}"), 400, "missing_required_parameter", "amount_cents");
        assertError(api.account("POST", "/account/topups", "{\"amount_cents\": null}"), 400,
                "missing_required_parameter", "amount_cents");
        assertError(api.account("POST", "/account/topups", "{\"amount_cents\": 500"), 400, "invalid_json", null);
        assertTrue(stripe.requests().isEmpty(), "nothing reached Stripe");
    }

    @Test
    void topUp_needsAnAccountSession() {
        Api api = server();

        assertError(api.send("POST", "/account/topups", api.key, "{\"amount_cents\": 500}"), 401, "invalid_session", null);
        assertError(api.send("POST", "/account/topups", null, "{\"amount_cents\": 500}"), 401, "invalid_session", null);
        assertError(api.account("GET", "/account/topups", null), 405, "method_not_allowed", null);
    }

    @Test
    void topUp_answers503_whenNoStripeKeyIsConfigured() {
        Api api = new Api(start("SENTX_STRIPE_WEBHOOK_SECRET", SECRET));

        Response r = topUp(api, "500");

        assertError(r, 503, "payments_not_configured", null);
        assertEquals("false", r.header("x-should-retry"));
    }

    @Test
    void topUp_answers503_withoutRevealingTheKey_whenStripeFails() {
        Api api = server();
        stripe.failWith(500);

        Response r = topUp(api, "500");

        assertError(r, 503, "payments_unavailable", null);
        assertFalse(r.body().contains(KEY) || r.body().contains("sk_test"), r::toString);
    }

    // ---- POST /webhooks/stripe ----

    @Test
    void webhook_signedCheckoutCompleted_raisesTheBalanceOnce() {
        Api api = server();
        String session = topUp(api, "2500").json().get("id").asText();
        byte[] completed = StripeEvents.checkoutCompleted("evt_e2e_1", session, DEMO, 2_500, "pi_e2e_1");

        Response first = webhook(api, completed, SECRET);
        Response again = webhook(api, completed, SECRET);
        Response otherId = webhook(api, StripeEvents.asyncPaymentSucceeded("evt_e2e_2", session, DEMO, 2_500, "pi_e2e_1"),
                SECRET);

        assertEquals(200, first.status(), first::toString);
        assertEquals("credited", first.json().get("outcome").asText());
        assertEquals("evt_e2e_1", first.json().get("id").asText());
        assertEquals("duplicate", again.json().get("outcome").asText());
        assertEquals("duplicate", otherId.json().get("outcome").asText());
        assertEquals(2_500, api.balance());
    }

    @Test
    void webhook_refusesBadStaleOrMissingSignatures_andChangesNothing() {
        Api api = server();
        byte[] completed = StripeEvents.checkoutCompleted("evt_e2e_1", "cs_e2e_1", DEMO, 2_500, "pi_e2e_1");
        long now = Instant.now().getEpochSecond();
        String tampered = new String(completed, StandardCharsets.UTF_8).replace("2500", "9500");

        List<Response> refused = List.of(
                send(api, completed, StripeEvents.signature(completed, "whsec_not_ours_0123456789", now)),
                send(api, completed, StripeEvents.signature(completed, SECRET, now - 600)),
                send(api, completed, StripeEvents.signature(completed, SECRET, now + 600)),
                send(api, tampered.getBytes(StandardCharsets.UTF_8), StripeEvents.signature(completed, SECRET, now)),
                send(api, completed, null),
                send(api, completed, "t=" + now + ",v1=deadbeef"));

        for (Response r : refused) {
            assertError(r, 400, "invalid_signature", null);
            assertFalse(r.body().contains(SECRET), r::toString);
        }
        assertEquals(0, api.balance());
        assertEquals("credited", webhook(api, completed, SECRET).json().get("outcome").asText(),
                "a refused delivery does not mark the event handled");
    }

    @Test
    void webhook_acceptsEventsSignedWithTheSecretBeingRotatedOut() {
        Api api = server();
        byte[] completed = StripeEvents.checkoutCompleted("evt_e2e_1", "cs_e2e_1", DEMO, 700, "pi_e2e_1");

        assertEquals(200, webhook(api, completed, OLD_SECRET).status());
        assertEquals(700, api.balance());
    }

    @Test
    void webhook_answers200_toEventTypesItDoesNotHandle() {
        Api api = server();

        Response r = webhook(api, StripeEvents.bytes(StripeEvents.recorded("payment_intent.succeeded")), SECRET);

        assertEquals(200, r.status(), r::toString);
        assertEquals("ignored", r.json().get("outcome").asText());
    }

    @Test
    void webhook_takesOnlyPost_andNeedsNoApiKey() {
        Api api = server();

        assertError(api.send("GET", "/webhooks/stripe", null, null), 405, "method_not_allowed", null);
        assertEquals(200, webhook(api, StripeEvents.bytes(StripeEvents.recorded("payment_intent.succeeded")), SECRET)
                .status());
    }

    @Test
    void webhook_answers503_whenNoWebhookSecretIsConfigured() {
        Api api = new Api(start());
        byte[] completed = StripeEvents.checkoutCompleted("evt_e2e_1", "cs_e2e_1", DEMO, 700, "pi_e2e_1");

        assertError(webhook(api, completed, SECRET), 503, "payments_not_configured", null);
        assertEquals(0, api.balance());
    }

    // ---- refunds, usage and 402 ----

    @Test
    void refund_takesTheBalanceBelowZero_andChatGets402UntilTheNextTopUp() {
        Api api = server();
        webhook(api, StripeEvents.checkoutCompleted("evt_e2e_1", "cs_e2e_1", DEMO, 500, "pi_e2e_1"), SECRET);
        Response chat = api.chat(chatBody("hello"), "X-Include-Cost", "1");
        assertEquals(200, chat.status(), chat::toString);
        long cost = chat.json().get("usage").get("cost_cents").asLong();
        assertTrue(cost > 0);

        Response refund = webhook(api, StripeEvents.chargeRefunded("evt_e2e_2", "ch_e2e_1", "pi_e2e_1", DEMO, 500), SECRET);

        assertEquals("debited", refund.json().get("outcome").asText());
        assertEquals(-cost, api.balance());
        Response refused = api.chat(chatBody("hello again"));
        assertError(refused, 402, "insufficient_balance", null);
        assertEquals("false", refused.header("x-should-retry"));

        webhook(api, StripeEvents.checkoutCompleted("evt_e2e_3", "cs_e2e_2", DEMO, 1_000, "pi_e2e_2"), SECRET);
        assertEquals(200, api.chat(chatBody("topped up")).status());
    }

    @Test
    void refund_thatArrivesBeforeItsCredit_endsCorrect() {
        Api api = server();

        webhook(api, StripeEvents.chargeRefunded("evt_e2e_2", "ch_e2e_1", "pi_e2e_1", DEMO, 2_500), SECRET);
        assertEquals(-2_500, api.balance());
        assertError(api.chat(chatBody("hello")), 402, "insufficient_balance", null);

        webhook(api, StripeEvents.checkoutCompleted("evt_e2e_1", "cs_e2e_1", DEMO, 2_500, "pi_e2e_1"), SECRET);
        webhook(api, StripeEvents.checkoutCompleted("evt_e2e_1", "cs_e2e_1", DEMO, 2_500, "pi_e2e_1"), SECRET);
        assertEquals(0, api.balance());
    }

    @Test
    void ledger_showsTopUpsUsageAndRefundsSideBySide_asJsonAndCsv() {
        Api api = server();
        webhook(api, StripeEvents.checkoutCompleted("evt_e2e_1", "cs_e2e_1", DEMO, 2_500, "pi_e2e_1"), SECRET);
        String request = api.chat(chatBody("hello")).header("x-request-id");
        webhook(api, StripeEvents.chargeRefunded("evt_e2e_2", "ch_e2e_1", "pi_e2e_1", DEMO, 1_000), SECRET);

        Response r = api.account("GET", "/account/ledger", null);

        assertEquals(200, r.status(), r::toString);
        JsonNode data = r.json().get("data");
        assertEquals(List.of("refund", "usage", "credit"), kinds(data));
        assertEquals("refund_ch_e2e_1_1000", data.get(0).get("id").asText());
        assertEquals(-1_000, data.get(0).get("amount_cents").asLong());
        assertEquals(api.balance(), data.get(0).get("balance_cents").asLong());
        assertEquals(request, data.get(1).get("reference").asText());
        assertEquals("topup_cs_e2e_1", data.get(2).get("id").asText());
        assertEquals(2_500, data.get(2).get("balance_cents").asLong());
        assertFalse(r.json().get("has_more").asBoolean());
        assertEquals(api.balance(), servers.getLast().ledger().entries(LocalServer.DEMO_ACCOUNT).stream()
                .mapToLong(LedgerEntry::amountCents).sum());

        Response page = api.account("GET", "/account/ledger?limit=1&after=refund_ch_e2e_1_1000", null);
        assertEquals(List.of("usage"), kinds(page.json().get("data")));
        assertTrue(page.json().get("has_more").asBoolean());

        Response csv = api.account("GET", "/account/ledger?format=csv", null);
        assertEquals(200, csv.status());
        assertTrue(csv.header("content-type").startsWith("text/csv"), csv::toString);
        String[] rows = csv.body().split("\r\n");
        assertEquals("time,entry_id,kind,amount_cents,balance_cents,reference", rows[0]);
        assertTrue(rows[1].contains(",refund_ch_e2e_1_1000,refund,-1000,"), rows[1]);
        assertTrue(rows[3].contains(",topup_cs_e2e_1,credit,2500,2500,cs_e2e_1"), rows[3]);
        assertEquals(4, rows.length);
        assertEquals(200, api.account("GET", "/account/ledger", null, "Accept", "text/csv").status());
        assertError(api.account("GET", "/account/ledger?limit=0", null), 400, "invalid_parameter", "limit");
    }

    @Test
    void reconciliation_onTheServer_creditsAPaidSessionWhoseWebhookNeverCame() throws InterruptedException {
        Api api = new Api(start("SENTX_STRIPE_SECRET_KEY", KEY, "SENTX_STRIPE_API_BASE", stripe.apiBase(),
                "SENTX_TOPUP_SUCCESS_URL", SUCCESS, "SENTX_TOPUP_CANCEL_URL", CANCEL,
                "SENTX_STRIPE_RECONCILE_SECONDS", "1"));
        stripe.addPaidSession(DEMO, 1_200, "usd", Instant.now());

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (api.balance() == 0 && System.nanoTime() < deadline) Thread.sleep(100);
        Thread.sleep(1_500);

        assertEquals(1_200, api.balance(), "credited once, though the reconciliation ran more than once");
    }

    private Api server() {
        return new Api(start("SENTX_STRIPE_SECRET_KEY", KEY, "SENTX_STRIPE_API_BASE", stripe.apiBase(),
                "SENTX_STRIPE_WEBHOOK_SECRET", SECRET + "," + OLD_SECRET,
                "SENTX_TOPUP_SUCCESS_URL", SUCCESS, "SENTX_TOPUP_CANCEL_URL", CANCEL));
    }

    private LocalServer start(String... overrides) {
        String[] all = new String[overrides.length + 2];
        all[0] = "SENTX_DEMO_BALANCE_CENTS";
        all[1] = "0";
        System.arraycopy(overrides, 0, all, 2, overrides.length);
        LocalServer server = TestServers.start(all);
        servers.add(server);
        return server;
    }

    private static Response topUp(Api api, String amountJson) {
        return api.account("POST", "/account/topups", "{\"amount_cents\": " + amountJson + "}");
    }

    /** Delivers {@code event} as Stripe does: signed now with {@code secret}, no API key. */
    private static Response webhook(Api api, byte[] event, String secret) {
        return send(api, event, StripeEvents.signature(event, secret, Instant.now().getEpochSecond()));
    }

    private static Response send(Api api, byte[] event, String signature) {
        String body = new String(event, StandardCharsets.UTF_8);
        return signature == null ? api.send("POST", "/webhooks/stripe", null, body)
                : api.send("POST", "/webhooks/stripe", null, body, "Stripe-Signature", signature);
    }

    private static List<String> kinds(JsonNode data) {
        List<String> kinds = new ArrayList<>();
        data.forEach(e -> kinds.add(e.get("kind").asText()));
        return kinds;
    }
}
