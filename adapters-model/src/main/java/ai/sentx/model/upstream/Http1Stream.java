package ai.sentx.model.upstream;

import ai.sentx.domain.chat.FinishReason;
import ai.sentx.model.Tokenizer;
import ai.sentx.port.ModelBackendException;
import ai.sentx.port.ModelEvent;
import ai.sentx.port.ModelStream;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A 200 answer of {@link Http1Client} as a {@link ModelStream}, read on the reader's own thread:
 * {@link #next} reads the body from the socket only when nothing decoded is waiting, decodes it as
 * server-sent events ({@link SseDecoder}, in place) and chunks ({@link ChunkReader}), and hands the
 * items out one by one. Nothing crosses threads, so a relayed delta costs no hand-off; a reader
 * that does not call {@link #next} reads nothing, so a slow client slows the model server through
 * TCP.
 *
 * <p><b>Timeouts</b> are those of {@link RelayStream}: the first generated token (text, reasoning or
 * tool call) within the first-token timeout of the request being sent, then at most the idle
 * timeout of silence (no byte at all); either failure closes the connection and throws
 * {@code TIMEOUT}. A {@code next} whose {@code maxWait} passes first returns
 * {@link ModelEvent.Idle}; the socket read times out and the call stays readable.
 *
 * <p><b>Counting</b> is {@link ReplyTally}'s.
 *
 * <p><b>Cancellation.</b> {@link #close} (from any thread) before the end closes the socket: the
 * server sees its connection close at once and a blocked {@code next} ends with
 * {@code Finished(LENGTH)}. After the reply's last event the rest of the body (the chunked
 * terminator) is read, here if it is already buffered, else on a virtual thread, and the connection
 * goes back to the pool.
 */
final class Http1Stream implements ModelStream {
    private static final int MAX_EVENT_BYTES = 8 * 1024 * 1024;
    private static final Duration LONGEST_WAIT = Duration.ofNanos(Long.MAX_VALUE / 4);
    /** How long the rest of a finished body may take before the connection is dropped instead. */
    private static final int DRAIN_MILLIS = 5_000;

    private final Http1Client.Response response;
    private final ReplyTally tally;
    private final SseDecoder decoder = new SseDecoder(MAX_EVENT_BYTES);
    private final ChunkReader reader;
    private final ArrayDeque<Object> pending = new ArrayDeque<>();
    private final List<Object> decoded = new ArrayList<>();
    private final SseDecoder.Events events;
    private final long firstTokenDeadline;
    private final long idleNanos;
    private long lastByteNanos;
    /**
     * The body gave its last item and the reader is done with the response (set last, so that a
     * {@link #close} that sees it may read the rest aside).
     */
    private volatile boolean bodyDone;
    private boolean over;
    private volatile boolean closed;

    /**
     * @param startedNanos when the request was first sent ({@link System#nanoTime})
     * @param budget       the output budget sent upstream: the most completion tokens billed
     */
    Http1Stream(Http1Client.Response response, ObjectMapper json, Tokenizer tokenizer, LongSupplier promptEstimate,
                long budget, long startedNanos, Duration firstTokenTimeout, Duration idleTimeout) {
        this.response = response;
        this.tally = new ReplyTally(tokenizer, promptEstimate, budget);
        this.reader = new ChunkReader(json);
        this.events = (bytes, length) -> reader.read(bytes, length, decoded);
        this.firstTokenDeadline = startedNanos + firstTokenTimeout.toNanos();
        this.idleNanos = idleTimeout.toNanos();
        this.lastByteNanos = startedNanos;
    }

    @Override
    public ModelEvent next(Duration maxWait) throws ModelBackendException {
        Objects.requireNonNull(maxWait, "maxWait");
        if (over) throw new IllegalStateException("the stream has ended; next() must not be called again");
        long callDeadline = System.nanoTime() + saturatedNanos(maxWait);
        while (true) {
            if (closed) return finish(FinishReason.LENGTH, null);
            Object item = pending.poll();
            if (item != null) return handOut(item);
            long now = System.nanoTime();
            long upstreamDeadline = reader.generating() ? lastByteNanos + idleNanos : firstTokenDeadline;
            if (now - upstreamDeadline >= 0) {
                over = true;
                response.abort();
                throw reader.generating() ? UpstreamFailures.idleTimeout() : UpstreamFailures.firstTokenTimeout();
            }
            if (now - callDeadline >= 0) return new ModelEvent.Idle();
            long wait = Math.min(callDeadline - now, upstreamDeadline - now);
            readSome((int) Math.clamp(TimeUnit.NANOSECONDS.toMillis(wait) + 1, 1, Integer.MAX_VALUE));
        }
    }

    /** Reads what the socket has (waiting at most {@code timeoutMillis}) and queues what it decodes. */
    private void readSome(int timeoutMillis) throws ModelBackendException {
        int n;
        try {
            n = response.read(timeoutMillis);
        } catch (SocketTimeoutException e) {
            return;
        } catch (IOException e) {
            if (closed) return;
            if (Thread.currentThread().isInterrupted()) {
                over = true;
                response.abort();
                throw UpstreamFailures.interrupted();
            }
            endWith(UpstreamFailures.connectionLost());
            return;
        }
        lastByteNanos = System.nanoTime();
        if (n < 0) {
            Object end = reader.endOfBody();
            endWith(end != null ? end : UpstreamFailures.endedEarly());
            return;
        }
        try {
            decoded.clear();
            decoder.feed(response.array(), response.offset(), n, events);
            pending.addAll(decoded);
        } catch (IOException | RuntimeException e) {
            pending.addAll(decoded);
            endWith(UpstreamFailures.unreadable());
            return;
        }
        if (reader.done()) {
            try {
                if (response.finishFromBuffer()) response.release();
            } catch (IOException e) {
                response.abort();
            }
            bodyDone = true;
        }
    }

    /** The body ended (or broke) with {@code end}, an {@link RelayStream.End} or a failure. */
    private void endWith(Object end) {
        pending.add(end);
        if (end instanceof RelayStream.End && response.finished()) response.release();
        else response.abort();
        bodyDone = true;
    }

    @Override
    public long completionTokensSoFar() {
        return tally.completionTokensSoFar();
    }

    /** The server's count once its usage arrived, else the estimate. */
    @Override
    public long promptTokens() {
        return tally.promptTokens();
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        if (!bodyDone) {
            response.abort();
        } else if (!response.finished()) {
            // The reply is complete but its terminator has not arrived: read it aside, keep the connection.
            Thread.ofVirtual().name("upstream-drain").start(() -> {
                try {
                    response.drain(DRAIN_MILLIS);
                    response.release();
                } catch (IOException | RuntimeException e) {
                    response.abort();
                }
            });
        }
    }

    private ModelEvent handOut(Object item) throws ModelBackendException {
        return switch (item) {
            case ModelEvent.TextDelta d -> {
                tally.handedOut(d);
                yield d;
            }
            case ModelEvent.ToolCallDelta d -> {
                tally.handedOut(d);
                yield d;
            }
            case RelayStream.End end -> finish(end.reason(), end.usage());
            case ModelBackendException failure -> {
                over = true;
                throw failure;
            }
            default -> throw new IllegalStateException("unexpected item " + item);
        };
    }

    private ModelEvent.Finished finish(FinishReason reason, RelayStream.Usage usage) {
        over = true;
        return tally.finish(reason, usage);
    }

    private static long saturatedNanos(Duration d) {
        if (d.isNegative()) return 0;
        return d.compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT.toNanos() : d.toNanos();
    }
}
