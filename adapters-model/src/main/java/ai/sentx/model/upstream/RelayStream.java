package ai.sentx.model.upstream;

import ai.sentx.domain.chat.FinishReason;
import ai.sentx.model.Tokenizer;
import ai.sentx.port.ModelBackendException;
import ai.sentx.port.ModelEvent;
import ai.sentx.port.ModelStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Future;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * A remote model's reply as a {@link ModelStream}: a {@link Source} (an HTTP body decoder, an SDK
 * event subscriber) pushes what it decodes on its own threads; {@link #next} hands it out on the
 * reader's. Items are {@link ModelEvent.TextDelta}, {@link ModelEvent.ToolCallDelta}, one final
 * {@link End}, or a {@link ModelBackendException} that ends the stream as a failure.
 *
 * <p><b>Flow control.</b> Once {@value #HIGH_WATER} items wait, {@link #push} tells the source to
 * stop asking for more; {@link #next} asks again when the queue has drained, so a slow client slows
 * the model server through TCP instead of filling memory.
 *
 * <p><b>Timeouts.</b> {@link #next} enforces them: until the first generated token (text, reasoning
 * or tool call), the call must produce one within the first-token timeout of the request being
 * sent; after it, the server may be silent (no byte at all) for at most the idle timeout. Either
 * failure cancels the call and throws {@code TIMEOUT}.
 *
 * <p><b>Counting.</b> {@code Finished} carries the server's usage when it sent one (completion
 * tokens capped at the output budget the request was admitted with), else the prompt estimate and
 * the {@code o200k_base} count of the text, tool names and tool arguments handed out. A call closed
 * before its end is billed by the second rule.
 *
 * <p><b>Cancellation.</b> {@link #close} before the end cancels the source (which closes or resets
 * the connection, so the server sees the call end at once). After the source's last item, closing
 * leaves the source to finish, so that its connection can be reused.
 */
final class RelayStream implements ModelStream {
    static final int HIGH_WATER = 64;
    private static final int LOW_WATER = 16;
    private static final Duration LONGEST_WAIT = Duration.ofNanos(Long.MAX_VALUE / 4);

    /** What produces the items; both calls may come from any thread, never under the stream's lock. */
    interface Source {
        /** More items may be pushed. */
        void request(long n);

        /** Stop producing and drop the connection. Idempotent. */
        void cancel();
    }

    /** The end of the reply: why it stopped, and the server's usage if it sent one ({@code null} if not). */
    record End(FinishReason reason, Usage usage) {
    }

    /** The server's token counts. */
    record Usage(long promptTokens, long completionTokens) {
    }

    private final ReplyTally tally;
    private final long firstTokenDeadline;
    private final long idleNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Object> queue = new ArrayDeque<>();

    // All guarded by lock, and so is tally.
    private long lastByteNanos;
    private boolean generating;
    private boolean sourceDone;
    private boolean paused;
    private boolean closed;
    private boolean over;
    private boolean cancelled;
    private Source source;
    private Future<?> exchange;

    /**
     * @param promptEstimate the prompt tokens billed unless the server reports its own count;
     *                       computed only when needed (the server usually reports them)
     * @param budget         the output budget sent upstream: the most completion tokens billed
     * @param startedNanos   when the request was first sent ({@link System#nanoTime})
     */
    RelayStream(Tokenizer tokenizer, LongSupplier promptEstimate, long budget, long startedNanos,
                Duration firstTokenTimeout, Duration idleTimeout) {
        this.tally = new ReplyTally(tokenizer, promptEstimate, budget);
        this.firstTokenDeadline = startedNanos + firstTokenTimeout.toNanos();
        this.idleNanos = idleTimeout.toNanos();
        this.lastByteNanos = startedNanos;
    }

    /** A stream that ends at once, without calling anyone (an output budget of 0). */
    static RelayStream endedAtOnce(Tokenizer tokenizer, LongSupplier promptEstimate) {
        RelayStream s = new RelayStream(tokenizer, promptEstimate, 0, System.nanoTime(), Duration.ofDays(1),
                Duration.ofDays(1));
        s.sourceDone = true;
        s.queue.add(new End(FinishReason.LENGTH, null));
        return s;
    }

    // ---- the source's side ----

    /** Connects the source; if the stream was already closed, the source is cancelled at once. */
    void attach(Source s) {
        boolean cancelNow;
        lock.lock();
        try {
            source = s;
            cancelNow = cancelled;
        } finally {
            lock.unlock();
        }
        if (cancelNow) s.cancel();
    }

    /** A future to cancel too when the call is cancelled (the request still in flight). */
    void alsoCancel(Future<?> future) {
        lock.lock();
        try {
            exchange = future;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Adds what the source decoded from the bytes that just arrived (possibly nothing: any byte is
     * activity for the idle timeout).
     *
     * @param generating whether the model has produced a token by now
     * @param last       whether {@code items} ends the reply (its last item is an {@link End} or a failure)
     * @return whether the source may produce more now; if not, {@link Source#request} says when
     */
    boolean push(List<Object> items, boolean generating, boolean last) {
        boolean more;
        boolean failed = last && !items.isEmpty() && items.getLast() instanceof ModelBackendException;
        lock.lock();
        try {
            lastByteNanos = System.nanoTime();
            if (generating) this.generating = true;
            if (!sourceDone) {
                queue.addAll(items);
                if (last) sourceDone = true;
                if (!items.isEmpty()) changed.signalAll();
            }
            // After its last item, the source drains the rest so that the connection can be reused.
            more = !cancelled && !failed && (sourceDone || queue.size() < HIGH_WATER);
            if (!more) paused = true;
        } finally {
            lock.unlock();
        }
        if (failed) cancelSource();
        return more;
    }

    /**
     * The source ended without a last item of its own ({@code end}: an {@link End} or a failure);
     * ignored after its last item or a cancellation.
     */
    void sourceEnded(Object end) {
        lock.lock();
        try {
            if (!sourceDone && !cancelled) {
                sourceDone = true;
                queue.add(end);
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    // ---- the reader's side ----

    @Override
    public ModelEvent next(Duration maxWait) throws ModelBackendException {
        Objects.requireNonNull(maxWait, "maxWait");
        boolean resume = false;
        Source s = null;
        lock.lock();
        try {
            if (over) throw new IllegalStateException("the stream has ended; next() must not be called again");
            long callDeadline = System.nanoTime() + saturatedNanos(maxWait);
            while (true) {
                if (closed) return finish(FinishReason.LENGTH, null);
                Object item = queue.poll();
                if (item != null) {
                    if (paused && queue.size() <= LOW_WATER && !cancelled) {
                        paused = false;
                        resume = true;
                        s = source;
                    }
                    return handOut(item);
                }
                long now = System.nanoTime();
                long upstreamDeadline = sourceDone ? Long.MAX_VALUE
                        : generating ? lastByteNanos + idleNanos : firstTokenDeadline;
                if (!sourceDone && now - upstreamDeadline >= 0) {
                    over = true;
                    throw generating ? UpstreamFailures.idleTimeout() : UpstreamFailures.firstTokenTimeout();
                }
                if (now - callDeadline >= 0) return new ModelEvent.Idle();
                long wait = sourceDone ? callDeadline - now : Math.min(callDeadline - now, upstreamDeadline - now);
                try {
                    changed.awaitNanos(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    over = true;
                    throw UpstreamFailures.interrupted();
                }
            }
        } finally {
            boolean cancel = over && !sourceDone;
            lock.unlock();
            if (cancel) cancelSource();
            else if (resume && s != null) s.request(1);
        }
    }

    @Override
    public long completionTokensSoFar() {
        lock.lock();
        try {
            return tally.completionTokensSoFar();
        } finally {
            lock.unlock();
        }
    }

    /** The server's count once its usage arrived, else the estimate. */
    @Override
    public long promptTokens() {
        lock.lock();
        try {
            return tally.promptTokens();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        boolean cancel;
        lock.lock();
        try {
            cancel = !closed && !sourceDone;
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (cancel) cancelSource();
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
            case End end -> finish(end.reason(), end.usage());
            case ModelBackendException failure -> {
                over = true;
                throw failure;
            }
            default -> throw new IllegalStateException("unexpected item " + item);
        };
    }

    private ModelEvent.Finished finish(FinishReason reason, Usage usage) {
        over = true;
        return tally.finish(reason, usage);
    }

    private void cancelSource() {
        Source s;
        Future<?> f;
        lock.lock();
        try {
            if (cancelled) return;
            cancelled = true;
            s = source;
            f = exchange;
        } finally {
            lock.unlock();
        }
        if (s != null) s.cancel();
        if (f != null) f.cancel(true);
    }

    private static long saturatedNanos(Duration d) {
        if (d.isNegative()) return 0;
        return d.compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT.toNanos() : d.toNanos();
    }
}
