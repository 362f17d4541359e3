package ai.sentx.port;

import java.time.Duration;

/**
 * One running model call, read by pulling events. Closing it before {@link ModelEvent.Finished}
 * cancels the call (the backend stops generating and frees its connection); a {@link #next} after
 * such a close returns one {@code Finished(LENGTH, prompt, tokens so far)} so a reading loop ends
 * and bills what was produced. Any {@code next} after {@code Finished} or after a failure throws
 * {@link IllegalStateException}. One stream is read by one thread; {@link #close} may come from any.
 */
public interface ModelStream extends AutoCloseable {
    /**
     * Waits at most {@code maxWait} for the next event.
     *
     * @return the next event; {@link ModelEvent.Idle} when none came in time
     * @throws ModelBackendException if the backend failed or timed out
     */
    ModelEvent next(Duration maxWait) throws ModelBackendException;

    /** Completion tokens produced so far: what a cancelled call is billed for. */
    long completionTokensSoFar();

    /** Prompt tokens of this call as the backend counts them. */
    long promptTokens();

    /** Cancels the call if it is still running; idempotent, never throws. */
    @Override
    void close();
}
