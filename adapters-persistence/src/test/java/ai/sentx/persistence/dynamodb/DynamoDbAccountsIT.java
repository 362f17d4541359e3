package ai.sentx.persistence.dynamodb;

import ai.sentx.port.Accounts;
import ai.sentx.port.contract.AccountsContract;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Runs the {@link AccountsContract} on {@link DynamoDbAccounts} over the fake. */
class DynamoDbAccountsIT implements AccountsContract {
    private static final DynamoDbClient CLIENT = FakeDynamoDbServer.newClient();
    private static final TableNames TABLES = FakeDynamoDbServer.freshTables("accounts");

    @Override
    public Accounts newAccounts() {
        return new DynamoDbAccounts(CLIENT, TABLES);
    }
}
