package ai.sentx.persistence.dynamodb;

/**
 * DynamoDB could not do what was asked: the service failed, throttled beyond the SDK's retries,
 * or stayed contended beyond the adapter's own retries. Expected outcomes (a refused hold, a
 * limit reached, a duplicate id) are never reported this way; they are results of the port.
 */
public final class StoreUnavailableException extends RuntimeException {
    /**
     * @param message what was being done
     * @param cause   the SDK's exception, or {@code null}
     */
    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
