package ai.sentx.persistence.dynamodb;

import ai.sentx.port.PaymentEvents;
import ai.sentx.port.contract.PaymentEventsContract;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Runs the {@link PaymentEventsContract} on {@link DynamoDbPaymentEvents} over the fake. */
class DynamoDbPaymentEventsIT implements PaymentEventsContract {
    private static final DynamoDbClient CLIENT = FakeDynamoDbServer.newClient();
    private static final TableNames TABLES = FakeDynamoDbServer.freshTables("payments");

    @Override
    public PaymentEvents newPaymentEvents() {
        return new DynamoDbPaymentEvents(CLIENT, TABLES);
    }
}
