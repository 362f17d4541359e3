package ai.sentx.http;

import ai.sentx.application.AuthenticateSession;
import ai.sentx.application.HandlePaymentEvent;
import ai.sentx.application.ListLedger;
import ai.sentx.application.StartTopUp;
import ai.sentx.domain.AccountId;
import ai.sentx.domain.LedgerEntry;
import ai.sentx.domain.LedgerLine;
import ai.sentx.domain.LedgerPage;
import ai.sentx.domain.payment.CheckoutSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Credits over HTTP (CONTRACT §9, issue 6): {@code POST /account/topups} and
 * {@code GET /account/ledger} for the signed-in account, and {@code POST /webhooks/stripe}, which
 * has no session: Stripe's signature over the raw body is its authentication.
 */
final class PaymentRoutes {
    static final String TOPUPS = "/account/topups";
    static final String LEDGER = "/account/ledger";
    static final String STRIPE_WEBHOOK = "/webhooks/stripe";
    /** Stripe events are a few KB; a checkout session with many fields stays far below this. */
    static final int WEBHOOK_BODY_LIMIT = 1024 * 1024;
    private static final int DEFAULT_LEDGER_PAGE = 100;
    private static final System.Logger LOG = System.getLogger(PaymentRoutes.class.getName());

    private final AuthenticateSession sessions;
    private final StartTopUp startTopUp;
    private final HandlePaymentEvent handlePaymentEvent;
    private final ListLedger listLedger;
    private final ObjectMapper json;

    PaymentRoutes(AuthenticateSession sessions, StartTopUp startTopUp, HandlePaymentEvent handlePaymentEvent,
                  ListLedger listLedger, ObjectMapper json) {
        this.sessions = sessions;
        this.startTopUp = startTopUp;
        this.handlePaymentEvent = handlePaymentEvent;
        this.listLedger = listLedger;
        this.json = json;
    }

    /** The methods allowed on {@code path} if it is one of the session routes here, else {@code null}. */
    static String allowed(String path) {
        return switch (path) {
            case TOPUPS -> "POST";
            case LEDGER -> "GET";
            default -> null;
        };
    }

    /** Serves {@code /account/topups} or {@code /account/ledger} for the session's account. */
    void handleAccount(HttpRequest req, String bearer, AccountRoutes.Body body, Map<String, List<String>> headers,
                       ResponseSink sink) throws IOException {
        AccountId account = sessions.authenticate(bearer);
        if (req.path().equals(TOPUPS)) {
            topUp(account, body.read(HttpApi.SMALL_BODY_LIMIT), headers, sink);
        } else {
            ledger(req, account, headers, sink);
        }
    }

    /**
     * Serves {@code POST /webhooks/stripe}: 200 with the outcome for every genuine event, handled
     * or not, duplicate or not; 400 {@code invalid_signature} (nothing changed) otherwise.
     */
    void handleWebhook(HttpRequest req, byte[] rawBody, Map<String, List<String>> headers, ResponseSink sink)
            throws IOException {
        HandlePaymentEvent.Result r = handlePaymentEvent.handle(rawBody, req.header("stripe-signature"));
        LOG.log(System.Logger.Level.INFO, "stripe event " + r.eventId() + " (" + r.type() + "): "
                + r.outcome().name().toLowerCase(Locale.ROOT) + ", " + r.detail());
        ObjectNode node = json.createObjectNode();
        node.put("received", true);
        node.put("id", r.eventId());
        node.put("type", r.type());
        node.put("outcome", r.outcome().name().toLowerCase(Locale.ROOT));
        Responses.sendJson(sink, json, 200, headers, node);
    }

    private void topUp(AccountId account, byte[] body, Map<String, List<String>> headers, ResponseSink sink)
            throws IOException {
        JsonNode root = ChatRequestParser.readObject(json, body);
        JsonNode amount = root.get("amount_cents");
        if (amount == null || amount.isNull()) throw ChatRequestParser.missing("amount_cents");
        if (!amount.isIntegralNumber() || !amount.canConvertToLong()) {
            throw ChatRequestParser.invalid("amount_cents",
                    "amount_cents must be a whole number of cents from 500 ($5.00) to 100000 ($1,000.00).");
        }
        CheckoutSession session = startTopUp.start(account, amount.longValue());
        ObjectNode node = json.createObjectNode();
        node.put("id", session.id());
        node.put("object", "checkout.session");
        node.put("url", session.url());
        node.put("amount_cents", amount.longValue());
        node.put("currency", "usd");
        Responses.put(headers, "cache-control", "no-store");
        Responses.sendJson(sink, json, 200, headers, node);
    }

    private void ledger(HttpRequest req, AccountId account, Map<String, List<String>> headers, ResponseSink sink)
            throws IOException {
        Map<String, String> q = QueryString.parse(req.rawQuery());
        int limit = Listings.limit(q, DEFAULT_LEDGER_PAGE);
        String after = q.get("after");
        LedgerPage page = listLedger.list(account, after == null || after.isBlank() ? null : after, limit);
        if (Listings.wantsCsv(req, q)) {
            Listings.sendCsv(sink, headers, "sentx-ledger.csv", LedgerCsv.render(page.data()));
            return;
        }
        ObjectNode node = json.createObjectNode();
        node.put("object", "list");
        ArrayNode data = node.putArray("data");
        for (LedgerLine line : page.data()) data.add(lineJson(line));
        node.put("has_more", page.hasMore());
        Responses.sendJson(sink, json, 200, headers, node);
    }

    private ObjectNode lineJson(LedgerLine line) {
        LedgerEntry e = line.entry();
        ObjectNode node = json.createObjectNode();
        node.put("id", e.id());
        node.put("object", "ledger.entry");
        node.put("kind", LedgerCsv.kind(e.kind()));
        node.put("amount_cents", e.amountCents());
        node.put("balance_cents", line.balanceAfterCents());
        node.put("reference", e.reference());
        node.put("time", e.at().toString());
        node.put("created", e.at().getEpochSecond());
        return node;
    }
}
