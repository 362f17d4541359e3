package ai.sentx.model.upstream;

import ai.sentx.port.ModelBackendException;
import ai.sentx.port.ModelBackendException.Kind;
import java.net.ConnectException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.bedrockruntime.model.AccessDeniedException;
import software.amazon.awssdk.services.bedrockruntime.model.BedrockRuntimeException;
import software.amazon.awssdk.services.bedrockruntime.model.ModelTimeoutException;
import software.amazon.awssdk.services.bedrockruntime.model.ResourceNotFoundException;
import software.amazon.awssdk.services.bedrockruntime.model.ServiceQuotaExceededException;
import software.amazon.awssdk.services.bedrockruntime.model.ThrottlingException;
import software.amazon.awssdk.services.bedrockruntime.model.ValidationException;

/**
 * Bedrock's and the SDK's failures as {@link ModelBackendException}s with messages safe to show:
 * the HTTP status and Bedrock's error code (its exception name), never its message, which may
 * quote the request, the account or the model's internals.
 */
final class BedrockFailures {
    private static final Pattern CODE = Pattern.compile("[A-Za-z]{3,64}");

    private BedrockFailures() {
    }

    static ModelBackendException of(Throwable t) {
        Throwable e = unwrap(t);
        if (e instanceof ModelBackendException m) return m;
        if (e instanceof BedrockRuntimeException b) return service(b);
        if (e instanceof SdkClientException) {
            for (Throwable c = e; c != null; c = c.getCause()) {
                String name = c.getClass().getSimpleName();
                if (name.equals("ConnectTimeoutException")) return UpstreamFailures.connectTimeout();
                if (name.equals("ReadTimeoutException")) return UpstreamFailures.idleTimeout();
                if (c instanceof ConnectException) return UpstreamFailures.unreachable();
            }
        }
        return UpstreamFailures.connectionLost();
    }

    /** Whether a call that failed this way before its first byte is worth one more try. */
    static boolean retryable(Throwable t) {
        Throwable e = unwrap(t);
        if (e instanceof BedrockRuntimeException b) {
            return !(b instanceof ModelTimeoutException) && (b.statusCode() == 429 || b.statusCode() >= 500);
        }
        if (e instanceof SdkClientException) {
            for (Throwable c = e; c != null; c = c.getCause()) {
                if (c instanceof ConnectException || c.getClass().getSimpleName().equals("ConnectTimeoutException")) {
                    return true;
                }
            }
        }
        return false;
    }

    private static ModelBackendException service(BedrockRuntimeException e) {
        int status = e.statusCode();
        String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
        String detail = " (" + (status > 0 ? "HTTP " + status : "mid-stream")
                + (code != null && CODE.matcher(code).matches() ? ", code " + code : "") + ")";
        return switch (e) {
            case ValidationException v -> new ModelBackendException(Kind.REJECTED,
                    "The model rejected the request" + detail + ". Check the request's parameters and content.");
            case ModelTimeoutException m -> new ModelBackendException(Kind.TIMEOUT, "The model timed out" + detail + ".");
            case AccessDeniedException a -> new ModelBackendException(Kind.UPSTREAM_ERROR,
                    "the model service refused the gateway's credentials" + detail + ".");
            case ResourceNotFoundException r -> new ModelBackendException(Kind.UPSTREAM_ERROR,
                    "the model service does not serve the configured model" + detail + ".");
            case ThrottlingException th -> new ModelBackendException(Kind.UPSTREAM_ERROR,
                    "the model service is over capacity" + detail + ".");
            case ServiceQuotaExceededException q -> new ModelBackendException(Kind.UPSTREAM_ERROR,
                    "the model service is over capacity" + detail + ".");
            default -> new ModelBackendException(Kind.UPSTREAM_ERROR, "the model service failed" + detail + ".");
        };
    }

    private static Throwable unwrap(Throwable t) {
        Throwable e = t;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }
}
