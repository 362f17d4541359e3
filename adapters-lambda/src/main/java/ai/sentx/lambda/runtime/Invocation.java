package ai.sentx.lambda.runtime;

import java.util.Objects;

/**
 * One invocation handed out by {@code GET /runtime/invocation/next}.
 *
 * @param requestId   {@code Lambda-Runtime-Aws-Request-Id}
 * @param deadlineMs  {@code Lambda-Runtime-Deadline-Ms}: epoch milliseconds when Lambda stops the
 *                    function; {@code Long.MAX_VALUE} when the header is missing
 * @param functionArn {@code Lambda-Runtime-Invoked-Function-Arn}, or {@code null}
 * @param traceId     {@code Lambda-Runtime-Trace-Id}, or {@code null}
 * @param event       the event's bytes (a function-URL request: JSON, payload format 2.0)
 */
public record Invocation(String requestId, long deadlineMs, String functionArn, String traceId, byte[] event) {
    /** Checks that the id and the event are present. */
    public Invocation {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(event, "event");
    }
}
