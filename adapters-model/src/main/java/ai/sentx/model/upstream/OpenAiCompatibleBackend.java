package ai.sentx.model.upstream;

import ai.sentx.port.ModelBackendException;
import ai.sentx.port.ModelRequest;
import ai.sentx.port.ModelStream;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/**
 * A model served by any OpenAI-compatible server (OpenAI, vLLM, SGLang, llama.cpp, Ollama, LiteLLM,
 * ...): {@code POST {base}/chat/completions} with
 * {@code stream: true} and {@code stream_options.include_usage}, whatever the client asked, so that
 * every delta is relayed the moment it arrives and the usage is the server's own.
 *
 * <p><b>Transport.</b> A plain-{@code http} server (a model server on the same host or network,
 * where the gateway's own cost shows) is called with {@link Http1Client}: keep-alive sockets read on
 * the caller's thread ({@link Http1Stream}). An {@code https} server (a remote API, where the
 * network dominates) is called with the JDK's {@link HttpClient} (HTTP/2 where ALPN offers it), its
 * body pushed to a {@link RelayStream} by {@link SseBody}. Both behave alike in everything below.
 *
 * <p><b>Request.</b> See {@link RequestBody}: the configured model name, the messages (the
 * platform's safety instructions already first), images as data URLs, {@code tools},
 * {@code tool_choice} and {@code response_format} as the client sent them, {@code user} as the
 * end-user id, stop, temperature, top_p, seed, and the output budget in the configured field.
 *
 * <p><b>Opening.</b> {@link #open} returns when the server has answered with its status. A
 * connection failure, a 408, a 429 or a 5xx gets exactly one more try (after {@value #RETRY_PAUSE_MS}
 * ms) — nothing has been relayed yet. Then: a connect timeout or a 408/504 is {@code TIMEOUT}; no
 * headers within the first-token timeout is {@code TIMEOUT}; a refused connection, 401/403/404,
 * 429 or 5xx is {@code UPSTREAM_ERROR}; another 4xx is {@code REJECTED}. Messages are built by
 * {@link UpstreamFailures} and never quote the server.
 *
 * <p><b>Streaming</b> is described on {@link RelayStream} and {@link SseBody}: SSE decoded
 * incrementally, deltas handed out one by one, first-token and idle timeouts, cancellation on close,
 * usage from the server's usage chunk or counted with {@code o200k_base}.
 *
 * <p><b>Counting.</b> The prompt estimate for the hold is {@link ai.sentx.model.PromptTokenCounter}'s; the bill
 * uses the server's numbers when it sends them (the stream computes the estimate only when they do
 * not come). Those are the upstream model's own tokens, so this
 * backend does not count exactly in the sense of {@code ModelBackendContract}.
 *
 * <p>Thread-safe. {@link #close} shuts the HTTP client down.
 */
public final class OpenAiCompatibleBackend extends RelayingBackend {
    static final long RETRY_PAUSE_MS = 100;
    private static final System.Logger LOG = System.getLogger(OpenAiCompatibleBackend.class.getName());
    private static final int ERROR_BODY_LIMIT = 16 * 1024;

    private final UpstreamConfig config;
    /** For {@code https} upstreams; {@code null} for {@code http} ones. */
    private final HttpClient client;
    /** For {@code http} upstreams; {@code null} for {@code https} ones. */
    private final Http1Client lean;
    /**
     * Calls run on virtual threads: the default thread-local pool would give every call fresh parser
     * and generator buffers (one parser per relayed event). A shared pool reuses them.
     */
    private final ObjectMapper json = new ObjectMapper(JsonFactory.builder()
            .recyclerPool(JsonRecyclerPools.newConcurrentDequePool())
            .build());
    private final HttpRequest.Builder template;

    /**
     * @param maxOutputTokens the budget of a request that names none (CONTRACT §6)
     * @throws NullPointerException     if {@code config} is null
     * @throws IllegalArgumentException if {@code maxOutputTokens} is negative
     */
    public OpenAiCompatibleBackend(UpstreamConfig config, long maxOutputTokens) {
        super(maxOutputTokens);
        this.config = Objects.requireNonNull(config, "config");
        boolean tls = config.baseUrl().getScheme().equalsIgnoreCase("https");
        String auth = config.apiKey() == null ? null : "Authorization: Bearer " + config.apiKey();
        this.lean = tls ? null : auth == null
                ? new Http1Client(config.endpoint(), config.connectTimeout(), "Content-Type: application/json",
                "Accept: text/event-stream")
                : new Http1Client(config.endpoint(), config.connectTimeout(), "Content-Type: application/json",
                "Accept: text/event-stream", auth);
        this.client = !tls ? null : HttpClient.newBuilder()
                // h2 only where ALPN negotiates it; plain http stays HTTP/1.1 (no h2c upgrade dance).
                .version(tls ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1)
                .connectTimeout(config.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                // The client's own work and the body callbacks run where they arise (mostly its selector
                // thread): the callbacks only decode and queue, never block, and a hand-off to a pool per
                // response buffer costs more than the work (measured: bench/upstream-overhead.sh).
                .executor(Runnable::run)
                .build();
        HttpRequest.Builder b = HttpRequest.newBuilder(config.endpoint())
                .header("Content-Type", "application/json")
                .header("Accept", "text/event-stream");
        if (config.apiKey() != null) b.header("Authorization", "Bearer " + config.apiKey());
        this.template = b;
    }

    /** The configuration (its {@code toString} hides the key). */
    public UpstreamConfig config() {
        return config;
    }




    /**
     * Sends the request and waits for the server's status (retrying once as described above).
     *
     * @throws ModelBackendException as described above
     */
    @Override
    ModelStream open(ModelRequest request, LongSupplier promptEstimate, long budget) throws ModelBackendException {
        if (lean != null) return openLean(request, promptEstimate, budget);
        HttpRequest http = template.copy()
                .POST(HttpRequest.BodyPublishers.ofByteArray(RequestBody.write(json.getFactory(), request, config,
                        budget)))
                .build();
        long started = System.nanoTime();
        long deadline = started + config.firstTokenTimeout().toNanos();
        for (int attempt = 1; ; attempt++) {
            RelayStream stream = new RelayStream(tokenizer, promptEstimate, budget, started,
                    config.firstTokenTimeout(), config.idleTimeout());
            SseBody body = new SseBody(stream, json);
            CompletableFuture<HttpResponse<byte[]>> exchange = client.sendAsync(http,
                    info -> info.statusCode() == 200 ? body : new ErrorBody(ERROR_BODY_LIMIT));
            stream.alsoCancel(exchange);
            HttpResponse<byte[]> response;
            try {
                response = exchange.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                exchange.cancel(true);
                throw UpstreamFailures.firstTokenTimeout();
            } catch (InterruptedException e) {
                exchange.cancel(true);
                Thread.currentThread().interrupt();
                throw UpstreamFailures.interrupted();
            } catch (ExecutionException | CancellationException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                boolean connectTimeout = cause instanceof HttpConnectTimeoutException;
                if (attempt == 1 && pauseBeforeRetry(deadline)) {
                    LOG.log(System.Logger.Level.DEBUG, "upstream call failed (" + cause.getClass().getSimpleName()
                            + "); retrying once");
                    continue;
                }
                LOG.log(System.Logger.Level.WARNING, "upstream " + config.displayUrl() + " unreachable: "
                        + cause.getClass().getSimpleName());
                throw connectTimeout ? UpstreamFailures.connectTimeout() : UpstreamFailures.unreachable();
            }
            int status = response.statusCode();
            if (status == 200) return stream;
            if (attempt == 1 && UpstreamFailures.retryable(status) && pauseBeforeRetry(deadline)) {
                LOG.log(System.Logger.Level.DEBUG, "upstream answered HTTP " + status + "; retrying once");
                continue;
            }
            ModelBackendException failure = UpstreamFailures.status(status, response.body(), json);
            LOG.log(status == 401 || status == 403 || status == 404 ? System.Logger.Level.WARNING
                    : System.Logger.Level.DEBUG, "upstream " + config.displayUrl() + " answered HTTP " + status);
            throw failure;
        }
    }

    /** {@link #open} over {@link Http1Client}: the same retries, timeouts and failures. */
    private ModelStream openLean(ModelRequest request, LongSupplier promptEstimate, long budget)
            throws ModelBackendException {
        byte[] body = RequestBody.write(json.getFactory(), request, config, budget);
        long started = System.nanoTime();
        long deadline = started + config.firstTokenTimeout().toNanos();
        for (int attempt = 1; ; attempt++) {
            Http1Client.Response response;
            try {
                response = lean.post(body, deadline);
            } catch (HttpTimeoutException e) {
                if (!(e instanceof HttpConnectTimeoutException)) throw UpstreamFailures.firstTokenTimeout();
                if (attempt == 1 && pauseBeforeRetry(deadline)) continue;
                LOG.log(System.Logger.Level.WARNING, "upstream " + config.displayUrl() + " unreachable: connect timeout");
                throw UpstreamFailures.connectTimeout();
            } catch (IOException e) {
                if (Thread.currentThread().isInterrupted()) throw UpstreamFailures.interrupted();
                if (attempt == 1 && pauseBeforeRetry(deadline)) {
                    LOG.log(System.Logger.Level.DEBUG, "upstream call failed (" + e.getClass().getSimpleName()
                            + "); retrying once");
                    continue;
                }
                LOG.log(System.Logger.Level.WARNING, "upstream " + config.displayUrl() + " unreachable: "
                        + e.getClass().getSimpleName());
                throw UpstreamFailures.unreachable();
            }
            int status = response.status();
            if (status == 200) {
                return new Http1Stream(response, json, tokenizer, promptEstimate, budget, started,
                        config.firstTokenTimeout(), config.idleTimeout());
            }
            byte[] error = errorBody(response, deadline);
            if (attempt == 1 && UpstreamFailures.retryable(status) && pauseBeforeRetry(deadline)) {
                LOG.log(System.Logger.Level.DEBUG, "upstream answered HTTP " + status + "; retrying once");
                continue;
            }
            ModelBackendException failure = UpstreamFailures.status(status, error, json);
            LOG.log(status == 401 || status == 403 || status == 404 ? System.Logger.Level.WARNING
                    : System.Logger.Level.DEBUG, "upstream " + config.displayUrl() + " answered HTTP " + status);
            throw failure;
        }
    }

    /**
     * The start of an error body (what arrives by the first-token deadline, at most
     * {@value #ERROR_BODY_LIMIT} bytes); the connection is kept if the body was read to its end.
     */
    private static byte[] errorBody(Http1Client.Response response, long deadline) {
        try {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            byte[] bytes = response.readUpTo(ERROR_BODY_LIMIT, (int) Math.clamp(left, 1, 2_000));
            response.release();
            return bytes;
        } catch (IOException e) {
            response.abort();
            return new byte[0];
        }
    }

    /** Stops the HTTP client: open calls are cancelled, its threads end; idle connections are closed. */
    @Override
    public void close() {
        if (client != null) client.shutdownNow();
        if (lean != null) lean.close();
    }

    @Override
    public String toString() {
        return "OpenAiCompatibleBackend[" + config + "]";
    }

    /** Sleeps before the one retry, if the first-token deadline leaves room for it. */
    private static boolean pauseBeforeRetry(long deadline) throws ModelBackendException {
        long pauseNanos = TimeUnit.MILLISECONDS.toNanos(RETRY_PAUSE_MS);
        if (deadline - System.nanoTime() <= pauseNanos) return false;
        try {
            Thread.sleep(RETRY_PAUSE_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw UpstreamFailures.interrupted();
        }
        return true;
    }

    /** Collects the start of an error body, then stops reading. */
    private static final class ErrorBody implements HttpResponse.BodySubscriber<byte[]> {
        private final int limit;
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private Flow.Subscription subscription;

        ErrorBody(int limit) {
            this.limit = limit;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            for (ByteBuffer b : buffers) {
                int n = Math.min(b.remaining(), limit - bytes.size());
                byte[] chunk = new byte[n];
                b.get(chunk);
                bytes.write(chunk, 0, n);
            }
            if (bytes.size() >= limit) {
                subscription.cancel();
                result.complete(bytes.toByteArray());
            }
        }

        @Override
        public void onError(Throwable throwable) {
            result.complete(bytes.toByteArray());
        }

        @Override
        public void onComplete() {
            result.complete(bytes.toByteArray());
        }
    }
}
