package ai.sentx.lambda.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The custom runtime's loop: take the next invocation from the Runtime API, turn its function-URL
 * event into an {@code HttpRequest}, let the handler answer through a streamed (or, under
 * {@code sam local}, buffered) response, and report what went wrong where Lambda expects it.
 *
 * <table>
 *   <caption>Where each failure goes</caption>
 *   <tr><td>the event is not a function-URL request</td><td>{@code /error} ({@code Runtime.InvalidEvent})</td></tr>
 *   <tr><td>the handler throws before its first byte</td><td>{@code /error} ({@code Runtime.HandlerFailed})</td></tr>
 *   <tr><td>the handler throws after its first byte</td><td>trailers ({@code Runtime.HandlerFailed})</td></tr>
 *   <tr><td>the stream ends with the contract's SSE error event</td><td>trailers ({@code Sentx.<code>})</td></tr>
 *   <tr><td>the deadline comes before the first byte</td><td>a 504 {@code upstream_timeout} envelope</td></tr>
 *   <tr><td>the deadline comes mid-stream</td><td>SSE error event, {@code [DONE]}, trailers
 *       ({@code Runtime.DeadlineExceeded})</td></tr>
 * </table>
 *
 * <p><b>Deadline.</b> {@code deadlineMargin} before {@code Lambda-Runtime-Deadline-Ms}, the handler's
 * writes start failing as if the client had gone: a chat stops its model at its next write (a
 * token or a keep-alive, so the margin should exceed the keep-alive interval) and bills what was
 * generated; the runtime then ends the stream itself. An answer not yet started is replaced at
 * once by a 504 and the handler is interrupted (the model call fails, so nothing is billed). A
 * quarter of the margin before the deadline, whatever is still open is ended by the runtime.
 */
public final class LambdaRuntime {
    private static final System.Logger LOG = System.getLogger(LambdaRuntime.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * How the runtime answers.
     *
     * @param buffered       answer with one buffered JSON document instead of a stream ({@code sam local})
     * @param deadlineMargin how long before Lambda's deadline the runtime ends an answer itself
     */
    public record Settings(boolean buffered, Duration deadlineMargin) {
        /** Checks the margin. */
        public Settings {
            Objects.requireNonNull(deadlineMargin, "deadlineMargin");
            if (deadlineMargin.isNegative()) throw new IllegalArgumentException("deadlineMargin must be >= 0");
        }
    }

    private final RuntimeApi api;
    private final HttpHandler handler;
    private final Settings settings;
    private final ScheduledExecutorService watchdog;

    /**
     * @param api      the Runtime API of this execution environment
     * @param handler  what answers the requests
     * @param settings streamed or buffered, and the deadline margin
     */
    public LambdaRuntime(RuntimeApi api, HttpHandler handler, Settings settings) {
        this.api = Objects.requireNonNull(api, "api");
        this.handler = Objects.requireNonNull(handler, "handler");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "deadline-watchdog");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Serves invocations until the Runtime API cannot be reached.
     *
     * @throws IOException when {@code invocation/next} fails: the execution environment is over
     */
    public void run() throws IOException {
        while (true) {
            serve(api.next());
        }
    }

    /** Serves one invocation; reports its failures to the Runtime API and never throws for them. */
    public void serve(Invocation invocation) {
        if (invocation.traceId() != null) System.setProperty("com.amazonaws.xray.traceHeader", invocation.traceId());
        FunctionUrlRequest request;
        try {
            JsonNode event = JSON.readTree(invocation.event());
            request = FunctionUrlRequest.fromJson(event);
        } catch (IOException | FunctionUrlRequest.InvalidEventException e) {
            String message = e instanceof FunctionUrlRequest.InvalidEventException ? e.getMessage()
                    : "the event is not JSON";
            report(invocation, "Runtime.InvalidEvent", message);
            return;
        }
        if (settings.buffered()) {
            serveBuffered(invocation, request);
        } else {
            serveStreamed(invocation, request);
        }
    }

    private void serveStreamed(Invocation invocation, FunctionUrlRequest request) {
        StreamingSink sink = new StreamingSink(api, invocation.requestId());
        Thread handlerThread = Thread.currentThread();
        Object lock = new Object();
        boolean[] done = {false};
        boolean[] deadlinePassed = {false};
        ScheduledFuture<?> expire = null;
        ScheduledFuture<?> hard = null;
        if (invocation.deadlineMs() != Long.MAX_VALUE) {
            long margin = settings.deadlineMargin().toMillis();
            long now = System.currentTimeMillis();
            expire = watchdog.schedule(() -> {
                synchronized (lock) {
                    if (done[0]) return;
                    deadlinePassed[0] = true;
                    sink.expire();
                    if (!sink.started()) {
                        endAtDeadline(sink);
                        handlerThread.interrupt();
                    }
                }
            }, Math.max(0, invocation.deadlineMs() - margin - now), TimeUnit.MILLISECONDS);
            hard = watchdog.schedule(() -> {
                synchronized (lock) {
                    if (done[0]) return;
                    deadlinePassed[0] = true;
                    endAtDeadline(sink);
                    handlerThread.interrupt();
                }
            }, Math.max(0, invocation.deadlineMs() - margin / 4 - now), TimeUnit.MILLISECONDS);
        }
        Throwable failure = null;
        try {
            handler.handle(request.toHttpRequest(), sink);
        } catch (Throwable t) {
            failure = t;
        } finally {
            synchronized (lock) {
                done[0] = true;
            }
            if (expire != null) expire.cancel(false);
            if (hard != null) hard.cancel(false);
            // An interrupt meant for this invocation must not reach the next one.
            Thread.interrupted();
        }
        try {
            if (failure != null) {
                LOG.log(System.Logger.Level.ERROR, "invocation " + invocation.requestId() + " failed: "
                        + failure.getClass().getName());
                if (!sink.started()) {
                    api.invocationError(invocation.requestId(), "Runtime.HandlerFailed", failure.getClass().getName());
                } else {
                    sink.failAfterStart("Runtime.HandlerFailed", failure.getClass().getName());
                }
            } else if (deadlinePassed[0]) {
                sink.endAtDeadline();
            } else if (!sink.started()) {
                api.invocationError(invocation.requestId(), "Runtime.NoResponse", "the handler returned without answering");
            } else {
                sink.close();
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "invocation " + invocation.requestId()
                    + ": could not end the response (" + e.getClass().getSimpleName() + ")");
            sink.abandon();
        }
        if (failure instanceof VirtualMachineError fatal) throw fatal;
    }

    private static void endAtDeadline(StreamingSink sink) {
        try {
            sink.endAtDeadline();
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not end a response at its deadline ("
                    + e.getClass().getSimpleName() + ")");
            sink.abandon();
        }
    }

    private void serveBuffered(Invocation invocation, FunctionUrlRequest request) {
        BufferedSink sink = new BufferedSink();
        try {
            handler.handle(request.toHttpRequest(), sink);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "invocation " + invocation.requestId() + " failed: " + e.getClass().getName());
            report(invocation, "Runtime.HandlerFailed", e.getClass().getName());
            return;
        }
        if (!sink.started()) {
            report(invocation, "Runtime.NoResponse", "the handler returned without answering");
            return;
        }
        try {
            api.respond(invocation.requestId(), "application/json",
                    IntegrationResponse.buffered(sink.status(), sink.headers(), sink.body()));
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "invocation " + invocation.requestId() + ": could not send the response");
        }
    }

    private void report(Invocation invocation, String type, String message) {
        try {
            api.invocationError(invocation.requestId(), type, message);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "invocation " + invocation.requestId() + ": could not report " + type);
        }
    }
}
