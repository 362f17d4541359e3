package ai.sentx.persistence.dynamodb;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Test-scope SDK interceptor (registered for every DynamoDB client of a test JVM through
 * {@code software/amazon/awssdk/services/dynamodb/execution.interceptors}): the fake reports a
 * cancelled transaction as a plain {@code DynamoDbException} with error code {@code in tx};
 * DynamoDB reports a {@link TransactionCanceledException}. Translated here, the adapters have one
 * path for both, and still never read cancellation reasons (the fake has none).
 */
public final class FakeTransactionErrors implements ExecutionInterceptor {
    /** Created by the SDK from the registration file. */
    public FakeTransactionErrors() {
    }

    @Override
    public Throwable modifyException(Context.FailedExecution context, ExecutionAttributes executionAttributes) {
        Throwable failure = context.exception();
        if (failure instanceof DynamoDbException e && !(e instanceof TransactionCanceledException)
                && e.awsErrorDetails() != null && "in tx".equals(e.awsErrorDetails().errorCode())) {
            return TransactionCanceledException.builder()
                    .message("Transaction cancelled (translated from the fake's 'in tx')")
                    .statusCode(e.statusCode())
                    .awsErrorDetails(e.awsErrorDetails())
                    .build();
        }
        return failure;
    }
}
