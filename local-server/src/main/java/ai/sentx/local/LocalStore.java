package ai.sentx.local;

import ai.sentx.domain.AccountId;
import ai.sentx.domain.ApiKeyRecord;
import ai.sentx.domain.KeyHasher;
import ai.sentx.domain.KeyId;
import ai.sentx.persistence.dynamodb.DynamoDbStore;
import ai.sentx.persistence.dynamodb.TableDefinitions;
import ai.sentx.persistence.dynamodb.TableNames;
import ai.sentx.persistence.memory.InMemoryAccounts;
import ai.sentx.persistence.memory.InMemoryApiKeys;
import ai.sentx.persistence.memory.InMemoryFileCatalog;
import ai.sentx.persistence.memory.InMemoryLedger;
import ai.sentx.persistence.memory.InMemoryPaymentEvents;
import ai.sentx.persistence.memory.InMemoryRateLimits;
import ai.sentx.persistence.memory.InMemorySessions;
import ai.sentx.persistence.memory.InMemoryUsageRecords;
import ai.sentx.port.Accounts;
import ai.sentx.port.ApiKeys;
import ai.sentx.port.FileCatalog;
import ai.sentx.port.IdSource;
import ai.sentx.port.Ledger;
import ai.sentx.port.PaymentEvents;
import ai.sentx.port.RateLimits;
import ai.sentx.port.Sessions;
import ai.sentx.port.UsageRecords;
import java.time.Clock;
import java.util.function.BiConsumer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;

/**
 * Where the local server keeps its data: in memory (the default), or in DynamoDB tables when
 * {@link LocalConfig#dynamoDb()} names them. Either way the server sees only the ports.
 *
 * @param registerSession makes a token a session of an account (the demo account's)
 * @param client          the DynamoDB client to close with the server, or {@code null}
 */
record LocalStore(Accounts accounts, Ledger ledger, ApiKeys apiKeys, RateLimits rateLimits, UsageRecords usage,
                  Sessions sessions, BiConsumer<String, AccountId> registerSession, PaymentEvents paymentEvents,
                  FileCatalog files, DynamoDbClient client)
        implements AutoCloseable {

    /** Opens the store {@code config} asks for; creates missing DynamoDB tables when told to. */
    static LocalStore open(LocalConfig config, KeyHasher hasher, Clock clock) {
        LocalConfig.DynamoDbConfig dynamo = config.dynamoDb();
        if (dynamo == null) {
            InMemorySessions sessions = new InMemorySessions(hasher);
            return new LocalStore(new InMemoryAccounts(), new InMemoryLedger(), new InMemoryApiKeys(),
                    new InMemoryRateLimits(clock), new InMemoryUsageRecords(), sessions, sessions::register,
                    new InMemoryPaymentEvents(), new InMemoryFileCatalog(), null);
        }
        DynamoDbClient client = dynamoDbClient(dynamo);
        try {
            TableNames tables = new TableNames(dynamo.tablePrefix());
            if (dynamo.createTables()) TableDefinitions.createMissing(client, tables);
            DynamoDbStore store = new DynamoDbStore(client, tables, hasher, clock);
            return new LocalStore(store.accounts(), store.ledger(), store.apiKeys(), store.rateLimits(),
                    store.usageRecords(), store.sessions(), store.sessions()::register, store.paymentEvents(),
                    store.files(), client);
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }

    /**
     * Stores the demo account's key. A persistent store may still hold the demo key of an earlier
     * start, made from another key or hash secret: that one is revoked, and the new key takes a
     * fresh id if its own is taken. The same key on the same store is kept as it is.
     */
    static void storeDemoKey(ApiKeys keys, ApiKeyRecord key, int maxActive, IdSource ids) {
        if (keys.findByHash(key.hash()).isPresent()) return;
        boolean idTaken = false;
        for (ApiKeyRecord old : keys.list(key.accountId())) {
            idTaken |= old.id().equals(key.id());
            if (old.active() && old.name().equals(key.name())) keys.revoke(key.accountId(), old.id(), key.createdAt());
        }
        ApiKeyRecord stored = idTaken ? new ApiKeyRecord(new KeyId(ids.next(key.id().value() + "_")), key.accountId(),
                key.name(), key.hash(), key.hint(), key.createdAt(), null, null) : key;
        keys.create(stored, maxActive);
    }

    /** A one-line description for the banner. */
    static String describe(LocalConfig config) {
        LocalConfig.DynamoDbConfig dynamo = config.dynamoDb();
        if (dynamo == null) return "in memory (gone when the server stops)";
        return "DynamoDB " + (dynamo.endpoint() == null ? dynamo.region() : dynamo.endpoint().toString())
                + ", tables " + dynamo.tablePrefix() + "*" + (dynamo.createTables() ? " (created if missing)" : "");
    }

    @Override
    public void close() {
        if (client != null) client.close();
    }

    private static DynamoDbClient dynamoDbClient(LocalConfig.DynamoDbConfig dynamo) {
        AwsCredentialsProvider credentials = dynamo.localCredentials()
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"))
                : DefaultCredentialsProvider.builder().build();
        DynamoDbClientBuilder builder = DynamoDbClient.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .region(Region.of(dynamo.region()))
                .credentialsProvider(credentials);
        if (dynamo.endpoint() != null) builder.endpointOverride(dynamo.endpoint());
        return builder.build();
    }
}
