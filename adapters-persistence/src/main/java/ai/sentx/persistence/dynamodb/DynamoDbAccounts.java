package ai.sentx.persistence.dynamodb;

import static ai.sentx.persistence.dynamodb.Codec.PK;
import static ai.sentx.persistence.dynamodb.Codec.SK;
import static ai.sentx.persistence.dynamodb.Codec.s;
import static ai.sentx.persistence.dynamodb.Codec.time;

import ai.sentx.domain.Account;
import ai.sentx.domain.AccountId;
import ai.sentx.port.Accounts;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

/**
 * The {@link Accounts} in the accounts table: one item per account, {@code pk = A#<account>},
 * {@code sk = ACCOUNT}, created by a put conditioned on its absence, so the first creation wins.
 */
public final class DynamoDbAccounts implements Accounts {
    static final String ACCOUNT_SK = "ACCOUNT";
    static final String NAME = "name";
    static final String CREATED_AT = "createdAt";

    private final Dynamo dynamo;
    private final String table;

    /** @param client shared; {@code tables} names the accounts table */
    public DynamoDbAccounts(DynamoDbClient client, TableNames tables) {
        this.dynamo = new Dynamo(Objects.requireNonNull(client, "client"));
        this.table = tables.accounts();
    }

    /** {@inheritDoc} @throws StoreUnavailableException if DynamoDB fails */
    @Override
    public Account createIfAbsent(Account account) {
        Objects.requireNonNull(account, "account");
        for (int attempt = 0; ; attempt++) {
            if (attempt > 0) Dynamo.backoff(attempt, "create account");
            if (dynamo.put(createRequest(table, account))) return account;
            Optional<Account> stored = find(account.id());
            if (stored.isPresent()) return stored.get();
        }
    }

    /** {@inheritDoc} @throws StoreUnavailableException if DynamoDB fails */
    @Override
    public Optional<Account> find(AccountId id) {
        Objects.requireNonNull(id, "id");
        Map<String, AttributeValue> item = dynamo.get(table, Codec.key(partition(id), ACCOUNT_SK));
        if (item == null) return Optional.empty();
        return Optional.of(new Account(id, Codec.str(item, NAME), Codec.timeOrNull(item, CREATED_AT)));
    }

    /** The partition of everything the accounts table keeps about {@code account}. */
    static String partition(AccountId account) {
        return "A#" + Codec.escape(account.value());
    }

    static PutItemRequest createRequest(String table, Account account) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(PK, s(partition(account.id())));
        item.put(SK, s(ACCOUNT_SK));
        item.put(NAME, s(account.name()));
        item.put(CREATED_AT, time(account.createdAt()));
        return PutItemRequest.builder()
                .tableName(table)
                .item(item)
                .conditionExpression("attribute_not_exists(#pk)")
                .expressionAttributeNames(Map.of("#pk", PK))
                .build();
    }
}
