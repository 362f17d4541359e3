package ai.sentx.application;

import ai.sentx.domain.Failure;
import ai.sentx.domain.FailureException;
import ai.sentx.domain.Problem;
import ai.sentx.port.PaymentsException;

/** Turns a payment provider failure into the caller-facing failure. */
final class PaymentFailures {
    private PaymentFailures() {
    }

    static FailureException of(PaymentsException e) {
        return switch (e.kind()) {
            case NOT_CONFIGURED -> Failure.of(Problem.PAYMENTS_NOT_CONFIGURED, e.getMessage()).exception();
            case UNAVAILABLE -> Failure.of(Problem.PAYMENTS_UNAVAILABLE, e.getMessage()).exception();
        };
    }
}
