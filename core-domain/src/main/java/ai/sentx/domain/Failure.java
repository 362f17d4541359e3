package ai.sentx.domain;

import java.util.Objects;

/**
 * An expected failure: what went wrong, a message safe to show the caller, and the request
 * parameter at fault (or {@code null}). Thrown as {@link FailureException} across layers that
 * cannot return it.
 *
 * @param retryAfterSeconds for rate limits, seconds until a retry can succeed; else 0
 */
public record Failure(Problem problem, String message, String param, long retryAfterSeconds) {
    public Failure {
        Objects.requireNonNull(problem, "problem");
        Objects.requireNonNull(message, "message");
    }

    public static Failure of(Problem problem, String message) {
        return new Failure(problem, message, null, 0);
    }

    public static Failure of(Problem problem, String message, String param) {
        return new Failure(problem, message, param, 0);
    }

    public FailureException exception() {
        return new FailureException(this);
    }
}
