package ai.sentx.model.upstream;

import ai.sentx.domain.chat.FinishReason;
import ai.sentx.model.Tokenizer;
import ai.sentx.port.ModelBackendException;
import ai.sentx.port.ModelEvent;
import ai.sentx.port.ModelStream;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One upstream call's reply: the HTTP client pushes body bytes into {@link #subscriber()}, which
 * decodes the SSE events as they arrive and queues their deltas; {@link #next} hands them out.
 *
 * <p><b>Flow control.</b> At most {@value #HIGH_WATER} events wait in the queue; past that the
 * subscriber stops asking for bytes, so a slow client slows the upstream through TCP instead of
 * filling memory.
 *
 * <p><b>Timeouts.</b> {@link #next} enforces them: until the first generated token, the call must
 * produce one within the first-token timeout of the request being sent; after it, the server may be
 * silent (no byte at all) for at most the idle timeout. Either failure cancels the call and throws
 * {@code TIMEOUT}.
 *
 * <p><b>Counting.</b> {@code Finished} carries the server's usage when it sent one (completion
 * tokens capped at the output budget the request was admitted with), else the prompt estimate and
 * the {@code o200k_base} count of the text and tool-call arguments handed out. A call closed
 * before its end is billed by the second rule.
 *
 * <p><b>Cancellation.</b> {@link #close} before the end cancels the body subscription, which makes
 * the HTTP client close the connection (HTTP/1.1) or reset the stream (HTTP/2): the server sees the
 * call end at once. After the server's {@code [DONE]}, closing leaves the connection to finish its
 * body and go back to the pool.
 */
final class UpstreamStream implements ModelStream {
    static final int HIGH_WATER = 64;
    private static final int LOW_WATER = 16;
    private static final int MAX_EVENT_BYTES = 8 * 1024 * 1024;
    private static final Duration LONGEST_WAIT = Duration.ofNanos(Long.MAX_VALUE / 4);

    private final Tokenizer tokenizer;
    private final long budget;
    private final long firstTokenDeadline;
    private final long idleNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ReentrantLock demand = new ReentrantLock();
    private final ArrayDeque<Object> queue = new ArrayDeque<>();
    private final Subscriber subscriber;
    private final StringBuilder handedOut = new StringBuilder();

    // All guarded by lock.
    private long promptTokens;
    private long completionTokens = -1;
    private int countedLength = -1;
    private long countedTokens;
    private long lastByteNanos;
    private boolean generating;
    private boolean upstreamDone;
    private boolean paused;
    private boolean closed;
    private boolean over;
    private Flow.Subscription subscription;
    private boolean cancelled;
    private CompletableFuture<?> exchange;

    /**
     * @param promptEstimate the prompt tokens billed unless the server reports its own count
     * @param budget         the output budget sent upstream: the most completion tokens billed
     * @param startedNanos   when the request was first sent ({@link System#nanoTime})
     */
    UpstreamStream(ObjectMapper json, Tokenizer tokenizer, long promptEstimate, long budget, long startedNanos,
                   Duration firstTokenTimeout, Duration idleTimeout) {
        this.tokenizer = tokenizer;
        this.promptTokens = promptEstimate;
        this.budget = budget;
        this.firstTokenDeadline = startedNanos + firstTokenTimeout.toNanos();
        this.idleNanos = idleTimeout.toNanos();
        this.lastByteNanos = startedNanos;
        this.subscriber = new Subscriber(new ChunkReader(json));
    }

    /** A stream that ends at once, without calling anyone (an output budget of 0). */
    static UpstreamStream endedAtOnce(ObjectMapper json, Tokenizer tokenizer, long promptEstimate) {
        UpstreamStream s = new UpstreamStream(json, tokenizer, promptEstimate, 0, System.nanoTime(),
                Duration.ofDays(1), Duration.ofDays(1));
        s.upstreamDone = true;
        s.queue.add(new ChunkReader.End(FinishReason.LENGTH, null));
        return s;
    }

    /** The body subscriber to give the HTTP client for a 200 response. */
    HttpResponse.BodySubscriber<byte[]> subscriber() {
        return subscriber;
    }

    /** The exchange to cancel too if the stream is closed before the body arrives. */
    void exchange(CompletableFuture<?> future) {
        lock.lock();
        try {
            exchange = future;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public ModelEvent next(Duration maxWait) throws ModelBackendException {
        Objects.requireNonNull(maxWait, "maxWait");
        boolean resume = false;
        lock.lock();
        try {
            if (over) throw new IllegalStateException("the stream has ended; next() must not be called again");
            long callDeadline = System.nanoTime() + saturatedNanos(maxWait);
            while (true) {
                if (closed) return finish(FinishReason.LENGTH, null);
                Object item = queue.poll();
                if (item != null) {
                    if (paused && queue.size() <= LOW_WATER) {
                        paused = false;
                        resume = true;
                    }
                    return handOut(item);
                }
                long now = System.nanoTime();
                long upstreamDeadline = upstreamDone ? Long.MAX_VALUE
                        : generating ? lastByteNanos + idleNanos : firstTokenDeadline;
                if (!upstreamDone && now - upstreamDeadline >= 0) {
                    over = true;
                    throw generating ? UpstreamFailures.idleTimeout() : UpstreamFailures.firstTokenTimeout();
                }
                if (now - callDeadline >= 0) return new ModelEvent.Idle();
                long wait = upstreamDone ? callDeadline - now : Math.min(callDeadline - now, upstreamDeadline - now);
                try {
                    changed.awaitNanos(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    over = true;
                    throw UpstreamFailures.interrupted();
                }
            }
        } finally {
            lock.unlock();
            if (over && !upstreamDone) cancelUpstream();
            else if (resume) subscriber.request(1);
        }
    }

    @Override
    public long completionTokensSoFar() {
        lock.lock();
        try {
            return completionTokens >= 0 ? completionTokens : countHandedOut();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long promptTokens() {
        lock.lock();
        try {
            return promptTokens;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        boolean cancel;
        lock.lock();
        try {
            cancel = !closed && !upstreamDone;
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (cancel) cancelUpstream();
    }

    private ModelEvent handOut(Object item) throws ModelBackendException {
        return switch (item) {
            case ModelEvent.TextDelta d -> {
                handedOut.append(d.text());
                yield d;
            }
            case ModelEvent.ToolCallDelta d -> {
                if (d.opensCall()) handedOut.append(d.name());
                handedOut.append(d.argumentsFragment());
                yield d;
            }
            case ChunkReader.End end -> finish(end.reason(), end.usage());
            case ChunkReader.Broken broken -> {
                over = true;
                throw broken.failure();
            }
            default -> throw new IllegalStateException("unexpected item " + item);
        };
    }

    private ModelEvent.Finished finish(FinishReason reason, ChunkReader.Usage usage) {
        over = true;
        if (usage != null) {
            promptTokens = usage.promptTokens();
            completionTokens = Math.min(usage.completionTokens(), budget);
        } else {
            completionTokens = Math.min(countHandedOut(), Math.max(budget, 0));
        }
        return new ModelEvent.Finished(reason, promptTokens, completionTokens);
    }

    /** The tokens of what was handed out, counted again only when more was handed out. */
    private long countHandedOut() {
        if (countedLength != handedOut.length()) {
            countedLength = handedOut.length();
            countedTokens = tokenizer.count(handedOut.toString());
        }
        return countedTokens;
    }

    private void cancelUpstream() {
        Flow.Subscription s;
        CompletableFuture<?> f;
        lock.lock();
        try {
            if (cancelled) return;
            cancelled = true;
            s = subscription;
            f = exchange;
        } finally {
            lock.unlock();
        }
        demand.lock();
        try {
            if (s != null) s.cancel();
        } finally {
            demand.unlock();
        }
        if (f != null) f.cancel(true);
    }

    private static long saturatedNanos(Duration d) {
        if (d.isNegative()) return 0;
        return d.compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT.toNanos() : d.toNanos();
    }

    /** Receives the body on the HTTP client's threads; its calls come one at a time (Flow rules). */
    private final class Subscriber implements HttpResponse.BodySubscriber<byte[]>, SseDecoder.Events {
        private final SseDecoder decoder = new SseDecoder(MAX_EVENT_BYTES);
        private final ChunkReader reader;
        private final CompletableFuture<byte[]> body = CompletableFuture.completedFuture(new byte[0]);
        private final List<Object> items = new ArrayList<>();

        Subscriber(ChunkReader reader) {
            this.reader = reader;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            // Complete at once: the response is handed over when its headers arrive.
            return body;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            boolean cancelNow;
            lock.lock();
            try {
                subscription = s;
                cancelNow = cancelled;
            } finally {
                lock.unlock();
            }
            demand.lock();
            try {
                if (cancelNow) s.cancel();
                else s.request(1);
            } finally {
                demand.unlock();
            }
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            boolean more;
            items.clear();
            boolean broken = false;
            if (!reader.done()) {
                try {
                    for (ByteBuffer b : buffers) decoder.feed(b, this);
                } catch (IOException | RuntimeException e) {
                    items.add(new ChunkReader.Broken(UpstreamFailures.unreadable()));
                }
                broken = !items.isEmpty() && items.getLast() instanceof ChunkReader.Broken;
            }
            lock.lock();
            try {
                lastByteNanos = System.nanoTime();
                if (reader.generating()) generating = true;
                if (!upstreamDone) {
                    queue.addAll(items);
                    if (reader.done() || broken) upstreamDone = true;
                    if (!items.isEmpty()) changed.signalAll();
                }
                // After [DONE], drain the rest so the connection can go back to the pool.
                more = !cancelled && (upstreamDone || queue.size() < HIGH_WATER);
                if (!more) paused = true;
            } finally {
                lock.unlock();
            }
            if (broken) cancelUpstream();
            else if (more) request(1);
        }

        @Override
        public void data(byte[] bytes, int length) throws IOException {
            if (!reader.done()) reader.read(bytes, length, items);
        }

        @Override
        public void onError(Throwable throwable) {
            lock.lock();
            try {
                if (!upstreamDone && !cancelled) {
                    upstreamDone = true;
                    queue.add(new ChunkReader.Broken(UpstreamFailures.connectionLost()));
                    changed.signalAll();
                }
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void onComplete() {
            lock.lock();
            try {
                if (!upstreamDone) {
                    upstreamDone = true;
                    Object end = reader.endOfBody();
                    if (end != null) queue.add(end);
                    changed.signalAll();
                }
            } finally {
                lock.unlock();
            }
        }

        void request(long n) {
            Flow.Subscription s;
            lock.lock();
            try {
                s = cancelled ? null : subscription;
            } finally {
                lock.unlock();
            }
            if (s == null) return;
            demand.lock();
            try {
                s.request(n);
            } finally {
                demand.unlock();
            }
        }
    }
}
