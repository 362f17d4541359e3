package ai.sentx.payments;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local stand-in for the two Stripe API routes SentX calls (Stripe itself is not reachable from
 * the test machines): {@code POST /v1/checkout/sessions} and {@code GET /v1/checkout/sessions}, on
 * a JDK {@link HttpServer} at a loopback port. It answers in Stripe's JSON shapes, checks the
 * bearer key, records every request with its decoded form or query parameters, pages lists the
 * way Stripe does ({@code limit}, {@code starting_after}, {@code has_more}), and can be told to
 * fail.
 */
public final class StripeStandIn implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request as received; {@code params} are the decoded form body (POST) or query (GET). */
    public record Request(String method, String path, Map<String, String> params, String authorization,
                          String idempotencyKey) {
    }

    /** A Checkout Session as the stand-in keeps it. */
    public record Session(String id, String clientReferenceId, long amountTotal, String currency,
                          String paymentIntent, long created, String status, String paymentStatus, String mode) {
    }

    private final HttpServer server;
    private final String apiKey;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<Session> sessions = new CopyOnWriteArrayList<>();
    private final AtomicInteger counter = new AtomicInteger();
    private volatile int failWith;

    private StripeStandIn(String apiKey) {
        this.apiKey = apiKey;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::serve);
        server.start();
    }

    /** Starts a stand-in that accepts only {@code apiKey}. */
    public static StripeStandIn start(String apiKey) {
        return new StripeStandIn(apiKey);
    }

    /** The value for {@code StripeClient.builder().setApiBase(...)}. */
    public String apiBase() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Every request so far, in arrival order. */
    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** Every session it holds. */
    public List<Session> sessions() {
        return List.copyOf(sessions);
    }

    /**
     * Adds a session paid outside any test request (a payment whose webhook never arrived).
     *
     * @return the stored session
     */
    public Session addPaidSession(String clientReferenceId, long amountTotal, String currency, Instant created) {
        int n = counter.incrementAndGet();
        Session s = new Session("cs_test_standin" + n, clientReferenceId, amountTotal, currency, "pi_test_standin" + n,
                created.getEpochSecond(), "complete", "paid", "payment");
        sessions.add(s);
        return s;
    }

    /** Adds {@code session} as is. */
    public void addSession(Session session) {
        sessions.add(session);
    }

    /** Answers every following request with {@code status} and a Stripe error body (0 to stop). */
    public void failWith(int status) {
        failWith = status;
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            String raw = method.equals("POST")
                    ? new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)
                    : exchange.getRequestURI().getRawQuery();
            requests.add(new Request(method, path, decodeForm(raw),
                    exchange.getRequestHeaders().getFirst("Authorization"),
                    exchange.getRequestHeaders().getFirst("Idempotency-Key")));
            if (!("Bearer " + apiKey).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                error(exchange, 401, "invalid_request_error", "Invalid API Key provided.");
                return;
            }
            if (failWith != 0) {
                error(exchange, failWith, "api_error", "The stand-in was told to fail.");
                return;
            }
            if (path.equals("/v1/checkout/sessions") && method.equals("POST")) {
                create(exchange, requests.getLast().params());
            } else if (path.equals("/v1/checkout/sessions") && method.equals("GET")) {
                list(exchange, requests.getLast().params());
            } else {
                error(exchange, 404, "invalid_request_error", "Unrecognized request URL.");
            }
        }
    }

    private void create(HttpExchange exchange, Map<String, String> p) throws IOException {
        int n = counter.incrementAndGet();
        long amount = Long.parseLong(p.getOrDefault("line_items[0][price_data][unit_amount]", "0"));
        Session s = new Session("cs_test_standin" + n, p.get("client_reference_id"), amount,
                p.get("line_items[0][price_data][currency]"), null, Instant.now().getEpochSecond(), "open", "unpaid",
                p.get("mode"));
        sessions.add(s);
        send(exchange, 200, sessionJson(s));
    }

    private void list(HttpExchange exchange, Map<String, String> p) throws IOException {
        long gte = Long.parseLong(p.getOrDefault("created[gte]", "0"));
        String status = p.get("status");
        int limit = Integer.parseInt(p.getOrDefault("limit", "10"));
        List<Session> matching = new ArrayList<>(sessions.stream()
                .filter(s -> s.created() >= gte && (status == null || status.equals(s.status())))
                .sorted(Comparator.comparingLong(Session::created).thenComparing(Session::id).reversed())
                .toList());
        String after = p.get("starting_after");
        if (after != null) {
            int at = -1;
            for (int i = 0; i < matching.size(); i++) if (matching.get(i).id().equals(after)) at = i;
            matching = new ArrayList<>(matching.subList(at + 1, matching.size()));
        }
        ObjectNode list = JSON.createObjectNode();
        list.put("object", "list");
        ArrayNode data = list.putArray("data");
        matching.stream().limit(limit).forEach(s -> data.add(sessionJson(s)));
        list.put("has_more", matching.size() > limit);
        list.put("url", "/v1/checkout/sessions");
        send(exchange, 200, list);
    }

    private static ObjectNode sessionJson(Session s) {
        ObjectNode node = JSON.createObjectNode();
        node.put("id", s.id());
        node.put("object", "checkout.session");
        node.put("amount_subtotal", s.amountTotal());
        node.put("amount_total", s.amountTotal());
        node.put("client_reference_id", s.clientReferenceId());
        node.put("created", s.created());
        node.put("currency", s.currency());
        node.put("livemode", false);
        // SentX creates every session with the account in its metadata too, as Stripe then returns it.
        if (s.clientReferenceId() == null) node.putObject("metadata");
        else node.putObject("metadata").put(StripePayments.ACCOUNT_METADATA_KEY, s.clientReferenceId());
        node.put("mode", s.mode());
        node.put("payment_intent", s.paymentIntent());
        node.put("payment_status", s.paymentStatus());
        node.put("status", s.status());
        node.put("url", s.status().equals("open") ? "https://checkout.stripe.test/c/pay/" + s.id() : null);
        return node;
    }

    private static void error(HttpExchange exchange, int status, String type, String message) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.putObject("error").put("type", type).put("message", message);
        send(exchange, status, root);
    }

    private static void send(HttpExchange exchange, int status, ObjectNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("Request-Id", "req_standin");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static Map<String, String> decodeForm(String raw) {
        Map<String, String> params = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) return params;
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.put(name, value);
        }
        return params;
    }
}
