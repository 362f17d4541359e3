package ai.sentx.domain;

/** Carries a {@link Failure} out of deep validation code; has no stack trace (it is not a bug). */
public final class FailureException extends RuntimeException {
    private final Failure failure;

    public FailureException(Failure failure) {
        super(failure.message(), null, false, false);
        this.failure = failure;
    }

    public Failure failure() {
        return failure;
    }
}
