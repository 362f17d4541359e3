package ai.sentx.model.builtin;

import ai.sentx.domain.chat.FinishReason;
import ai.sentx.model.Tokenizer;
import ai.sentx.port.ModelBackendException;
import ai.sentx.port.ModelEvent;
import ai.sentx.port.ModelStream;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Hands out a reply written in advance, one piece per {@link #next} call, paced by the token delay.
 *
 * <p>After the {@code Finished} event, or after {@code next} threw, {@code next} throws
 * {@link IllegalStateException}. After {@link #close()} (even one that interrupts a waiting
 * {@code next}), the next call returns at once a {@code Finished} with reason {@code length}
 * and the tokens sent before the close, so a caller that loops until {@code Finished} ends and
 * bills the right amount.
 */
final class BuiltInStream implements ModelStream {
    private static final Duration LONGEST_WAIT = Duration.ofNanos(Long.MAX_VALUE / 4);

    private final List<Tokenizer.Piece> pieces;
    private final FinishReason reason;
    private final long promptTokens;
    private final long delayNanos;
    private final int failAfter;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition closing = lock.newCondition();

    private int sent;
    private long nextDueNanos;
    private boolean closed;
    private boolean over;
    private volatile long completionTokens;

    /**
     * @param pieces    what to send, already cut by stop sequences and the output budget
     * @param failAfter the number of pieces after which {@code next} fails, or -1
     */
    BuiltInStream(List<Tokenizer.Piece> pieces, FinishReason reason, long promptTokens, Duration tokenDelay,
                  int failAfter) {
        this.pieces = List.copyOf(pieces);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.promptTokens = promptTokens;
        this.delayNanos = saturatedNanos(tokenDelay);
        this.failAfter = failAfter;
        this.nextDueNanos = delayNanos == 0 ? 0 : System.nanoTime() + delayNanos;
    }

    @Override
    public ModelEvent next(Duration maxWait) throws ModelBackendException {
        Objects.requireNonNull(maxWait, "maxWait");
        lock.lock();
        try {
            if (over) throw new IllegalStateException("the stream has ended; next() must not be called again");
            if (closed) return finish(FinishReason.LENGTH);
            if (sent == failAfter) {
                over = true;
                throw new ModelBackendException(ModelBackendException.Kind.UPSTREAM_ERROR,
                        BuiltInBackend.FAILURE_MESSAGE);
            }
            if (sent == pieces.size()) return finish(reason);
            if (delayNanos > 0) {
                long untilDue = nextDueNanos - System.nanoTime();
                if (untilDue > 0) {
                    long wait = Math.min(untilDue, saturatedNanos(maxWait));
                    boolean tokenDue = untilDue <= wait;
                    awaitCloseOrTimeout(wait);
                    if (closed) return finish(FinishReason.LENGTH);
                    if (!tokenDue) return new ModelEvent.Idle();
                }
            }
            Tokenizer.Piece piece = pieces.get(sent++);
            completionTokens = piece.cumulativeTokens();
            if (delayNanos > 0) nextDueNanos = System.nanoTime() + delayNanos;
            return new ModelEvent.TextDelta(piece.text());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long completionTokensSoFar() {
        return completionTokens;
    }

    @Override
    public long promptTokens() {
        return promptTokens;
    }

    /** Stops the stream; wakes a {@code next} that is waiting for its token. Idempotent. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            closing.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private ModelEvent.Finished finish(FinishReason why) {
        over = true;
        return new ModelEvent.Finished(why, promptTokens, completionTokens);
    }

    private void awaitCloseOrTimeout(long nanos) throws ModelBackendException {
        long deadline = System.nanoTime() + nanos;
        long remaining = nanos;
        try {
            while (!closed && remaining > 0) {
                closing.awaitNanos(remaining);
                remaining = deadline - System.nanoTime();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            over = true;
            throw new ModelBackendException(ModelBackendException.Kind.UPSTREAM_ERROR,
                    "The built-in model was interrupted.", e);
        }
    }

    /** Nanoseconds of {@code d}, at most about 73 years, so that sums with nano times cannot overflow. */
    private static long saturatedNanos(Duration d) {
        if (d.isNegative()) return 0;
        return d.compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT.toNanos() : d.toNanos();
    }
}
