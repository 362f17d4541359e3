package ai.sentx.http;

import ai.sentx.application.Authorization;
import ai.sentx.application.AuthorizeApiCall;
import ai.sentx.application.CompleteChat;
import ai.sentx.application.RequestQuota;
import ai.sentx.application.Services;
import ai.sentx.domain.Failure;
import ai.sentx.domain.FailureException;
import ai.sentx.domain.Problem;
import ai.sentx.port.IdSource;
import ai.sentx.sse.SseFrames;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The whole HTTP surface of SentX over a transport-neutral request and response sink: routing,
 * authentication, the {@code /v1} rate-limit headers, body limits and the error envelope on every
 * route. Shared by the local server and the Lambda runtime.
 */
public final class HttpApi {
    /** Largest chat body: a 10 MB image is about 13.4 MB of base64; leave room for several parts. */
    public static final int CHAT_BODY_LIMIT = 32 * 1024 * 1024;
    /** Largest body of every other route. */
    public static final int SMALL_BODY_LIMIT = 64 * 1024;
    /** The largest declared body read into an array allocated before its bytes arrive. */
    private static final int PREALLOCATE_AT_MOST = 1024 * 1024;
    private static final long MODEL_CREATED = 1_735_689_600L;
    private static final System.Logger LOG = System.getLogger(HttpApi.class.getName());

    private final AuthorizeApiCall authorize;
    private final ChatRoute chat;
    private final AccountRoutes account;
    private final PaymentRoutes payments;
    private final IdSource ids;
    private final Clock clock;
    private final ObjectMapper json;

    private final FileRoutes files;
    private final DashboardRoutes dashboard;

    /**
     * The routes over {@code useCases} with the local server's dashboard sign-in (a session token,
     * cookie not {@code Secure}); {@code ids} names each request, {@code clock} dates the rate-limit headers.
     */
    public HttpApi(Services useCases, IdSource ids, Clock clock) {
        this(useCases, ids, clock, DashboardSettings.local());
    }

    /** The routes over {@code useCases}, with the dashboard signing in as {@code dashboard} says. */
    public HttpApi(Services useCases, IdSource ids, Clock clock, DashboardSettings dashboard) {
        this.json = JsonMapper.builder(JsonFactory.builder()
                        // A body may hold one string as long as the route allows (a 10 MB image in base64).
                        .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(CHAT_BODY_LIMIT).build())
                        // Requests run on virtual threads: the default thread-local pool would give every
                        // request fresh parser and generator buffers. A shared pool reuses them.
                        .recyclerPool(JsonRecyclerPools.newConcurrentDequePool())
                        .build())
                // "{...}garbage" or "{...}{...}" is not one JSON object: refuse it rather than serve half.
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
        this.authorize = useCases.authorize();
        this.chat = new ChatRoute(useCases.chat(), json);
        this.account = new AccountRoutes(useCases.sessions(), useCases.showAccount(), useCases.createKey(),
                useCases.listKeys(), useCases.revokeKey(), useCases.listUsage(), json);
        this.payments = new PaymentRoutes(useCases.sessions(), useCases.startTopUp(), useCases.handlePaymentEvent(),
                useCases.listLedger(), json);
        this.files = new FileRoutes(useCases.uploadFile(), useCases.listFiles(), useCases.showFile(),
                useCases.readFileContent(), useCases.deleteFile(), json);
        this.dashboard = new DashboardRoutes(useCases.sessions(), dashboard, json);
        this.ids = ids;
        this.clock = clock;
    }

    /** Serves one request to its end; never throws for anything the client sent. */
    public void handle(HttpRequest req, ResponseSink sink) {
        String requestId = ids.next("req_");
        Map<String, List<String>> headers = Responses.headers();
        Responses.put(headers, "x-request-id", requestId);
        try {
            route(req, requestId, headers, sink);
        } catch (FailureException e) {
            fail(sink, headers, e.failure(), requestId);
        } catch (DashboardRoutes.Forbidden e) {
            forbidden(sink, headers, e, requestId);
        } catch (IOException e) {
            closeQuietly(sink);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "request " + requestId + " failed: " + e.getClass().getName()
                    + " at " + where(e));
            fail(sink, headers, Failure.of(Problem.INTERNAL_ERROR,
                    "The server had an error processing the request (request id " + requestId + "). Retry with backoff."),
                    requestId);
        }
    }

    private void route(HttpRequest req, String requestId, Map<String, List<String>> headers, ResponseSink sink)
            throws IOException {
        String path = req.path();
        String method = req.method();
        if (path.equals("/health")) {
            requireMethod(method, "GET", headers);
            ObjectNode ok = json.createObjectNode();
            ok.put("status", "ok");
            Responses.sendJson(sink, json, 200, headers, ok);
            return;
        }
        if (path.equals("/v1") || path.startsWith("/v1/")) {
            v1(req, requestId, headers, sink);
            return;
        }
        if (DashboardRoutes.isDashboard(path)) {
            requireMethod(method, "GET", headers);
            dashboard.page(req, headers, sink);
            return;
        }
        if (path.equals(PaymentRoutes.STRIPE_WEBHOOK)) {
            requireMethod(method, "POST", headers);
            payments.handleWebhook(req, readBody(req, PaymentRoutes.WEBHOOK_BODY_LIMIT), headers, sink);
            return;
        }
        if (path.equals("/account") || path.startsWith("/account/")) {
            dashboard.cors(req, headers);
            if (method.equals("OPTIONS")) {
                dashboard.preflight(req, headers, sink);
                return;
            }
        }
        if (path.equals(DashboardRoutes.SESSION)) {
            requireMethod(method, "GET, POST, DELETE", headers);
            dashboard.session(req, limit -> readBody(req, limit), headers, sink);
            return;
        }
        String paymentMethods = PaymentRoutes.allowed(path);
        if (paymentMethods != null) {
            requireMethod(method, paymentMethods, headers);
            payments.handleAccount(req, dashboard.credential(req), limit -> readBody(req, limit), headers, sink);
            return;
        }
        String accountMethods = AccountRoutes.allowed(path);
        if (accountMethods != null) {
            requireMethod(method, accountMethods, headers);
            account.handle(req, dashboard.credential(req), limit -> readBody(req, limit), headers, sink);
            return;
        }
        throw Failure.of(Problem.NOT_FOUND, "Unknown route: " + method + " " + path + ".").exception();
    }

    private void v1(HttpRequest req, String requestId, Map<String, List<String>> headers, ResponseSink sink)
            throws IOException {
        String path = req.path();
        String allowed = switch (path) {
            case "/v1/chat/completions" -> "POST";
            case "/v1/models" -> "GET";
            default -> path.startsWith("/v1/models/") ? "GET" : FileRoutes.allowed(path);
        };
        if (allowed == null) {
            quotaHeaders(headers, authorize.authorize(null).quota());
            throw Failure.of(Problem.NOT_FOUND, "Unknown route: " + req.method() + " " + path + ".").exception();
        }
        Authorization auth = authorize.authorize(bearer(req));
        quotaHeaders(headers, auth.quota());
        requireMethod(req.method(), allowed, headers);
        switch (auth) {
            case Authorization.Denied d -> throw d.failure().exception();
            case Authorization.Granted g -> {
                if (path.equals("/v1/chat/completions")) {
                    chat.handle(req, readBody(req, CHAT_BODY_LIMIT), g.principal(), requestId, headers, sink);
                } else if (path.startsWith(FileRoutes.FILES)) {
                    files.handle(req, g.principal(), headers, sink);
                } else if (path.equals("/v1/models")) {
                    ObjectNode list = json.createObjectNode();
                    list.put("object", "list");
                    list.putArray("data").add(model());
                    Responses.sendJson(sink, json, 200, headers, list);
                } else {
                    String id = QueryString.decode(path.substring("/v1/models/".length()), false, "model");
                    if (!id.equals(CompleteChat.MODEL)) {
                        throw Failure.of(Problem.MODEL_NOT_FOUND, "The model '" + id + "' does not exist.", "model")
                                .exception();
                    }
                    Responses.sendJson(sink, json, 200, headers, model());
                }
            }
        }
    }

    private ObjectNode model() {
        ObjectNode m = json.createObjectNode();
        m.put("id", CompleteChat.MODEL);
        m.put("object", "model");
        m.put("created", MODEL_CREATED);
        m.put("owned_by", "sentx");
        return m;
    }

    private void quotaHeaders(Map<String, List<String>> headers, RequestQuota quota) {
        Responses.put(headers, "x-ratelimit-limit-requests", Integer.toString(quota.limit()));
        Responses.put(headers, "x-ratelimit-remaining-requests", Long.toString(quota.remaining()));
        long ms = Duration.between(clock.instant(), quota.resetAt()).toMillis();
        Responses.put(headers, "x-ratelimit-reset-requests", Responses.goDuration(ms));
    }

    private static void requireMethod(String method, String allowed, Map<String, List<String>> headers) {
        // The methods are listed as "GET, POST": compared in place (a two-character split compiles a regex).
        for (int from = 0; ; ) {
            int comma = allowed.indexOf(", ", from);
            int to = comma < 0 ? allowed.length() : comma;
            if (to - from == method.length() && allowed.startsWith(method, from)) return;
            if (comma < 0) break;
            from = comma + 2;
        }
        Responses.put(headers, "allow", allowed);
        throw Failure.of(Problem.METHOD_NOT_ALLOWED, "Method " + method + " is not allowed here; use " + allowed + ".")
                .exception();
    }

    private static String bearer(HttpRequest req) {
        return DashboardRoutes.bearer(req);
    }

    /** Reads the whole body, refusing more than {@code limit} bytes without reading past it. */
    private static byte[] readBody(HttpRequest req, int limit) throws IOException {
        if (req.contentLength() > limit) throw tooLarge(limit);
        InputStream in = req.body();
        long declared = req.contentLength();
        if (declared >= 0 && declared <= PREALLOCATE_AT_MOST) {
            // The declared length, read into an array of its size (readNBytes(limit + 1) would start
            // with a 16 KB buffer and copy); more than declared falls back to reading the rest.
            // Only up to PREALLOCATE_AT_MOST: a client that declares 32 MB and sends nothing must not
            // make the server hold 32 MB per connection; larger bodies grow as their bytes arrive.
            byte[] body = new byte[(int) declared];
            int n = in.readNBytes(body, 0, body.length);
            if (n < body.length) return Arrays.copyOf(body, n);
            int next = in.read();
            if (next < 0) return body;
            byte[] rest = in.readNBytes(limit - body.length);
            if (body.length + 1 + rest.length > limit) throw tooLarge(limit);
            byte[] all = Arrays.copyOf(body, body.length + 1 + rest.length);
            all[body.length] = (byte) next;
            System.arraycopy(rest, 0, all, body.length + 1, rest.length);
            return all;
        }
        byte[] body = in.readNBytes(limit + 1);
        if (body.length > limit) throw tooLarge(limit);
        return body;
    }

    private static FailureException tooLarge(int limit) {
        return Failure.of(Problem.REQUEST_TOO_LARGE, "The request body is larger than this route accepts ("
                + (limit >= 1024 * 1024 ? limit / (1024 * 1024) + " MB" : limit / 1024 + " KB") + ").").exception();
    }

    private void fail(ResponseSink sink, Map<String, List<String>> headers, Failure failure, String requestId) {
        try {
            if (!sink.started()) {
                Responses.sendError(sink, json, headers, failure);
            } else {
                sink.write(SseFrames.data(Responses.bytes(json, Responses.envelope(json, failure))));
                sink.write(SseFrames.DONE);
                sink.close();
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "request " + requestId + ": could not report a failure; client gone");
            closeQuietly(sink);
        }
    }

    /** 403 in the error envelope: the session cookie was used without its CSRF token or from another site. */
    private void forbidden(ResponseSink sink, Map<String, List<String>> headers, DashboardRoutes.Forbidden e,
                           String requestId) {
        ObjectNode root = json.createObjectNode();
        ObjectNode error = root.putObject("error");
        error.put("message", e.getMessage());
        error.put("type", "invalid_request_error");
        error.putNull("param");
        error.put("code", e.code());
        Responses.put(headers, "x-should-retry", "false");
        try {
            Responses.sendJson(sink, json, 403, headers, root);
        } catch (IOException | RuntimeException ex) {
            LOG.log(System.Logger.Level.DEBUG, "request " + requestId + ": could not send a 403; client gone");
            closeQuietly(sink);
        }
    }

    private static void closeQuietly(ResponseSink sink) {
        try {
            sink.close();
        } catch (IOException | RuntimeException ignored) {
            // Nothing more can reach this client.
        }
    }

    private static String where(Throwable e) {
        StackTraceElement[] trace = e.getStackTrace();
        return trace.length == 0 ? "?" : trace[0].getClassName() + ":" + trace[0].getLineNumber();
    }
}
