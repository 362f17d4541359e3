package ai.sentx.persistence.dynamodb;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.waiters.DynamoDbWaiter;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;


/**
 * The one definition of SentX's DynamoDB tables: keys, global secondary indexes and the TTL
 * attribute. Tests and the local server create tables from it; {@code template.yaml} declares the
 * same tables for AWS, and a test fails when the two drift apart. Every key attribute is a string,
 * every index projects all attributes, every table is on-demand (PAY_PER_REQUEST) with point-in-time
 * recovery and expires items through {@link #TTL_ATTRIBUTE}. {@code docs/dynamodb.md} explains the
 * item shapes and access patterns.
 */
public final class TableDefinitions {
    /** The TTL attribute of every table: epoch seconds after which DynamoDB may delete the item. */
    public static final String TTL_ATTRIBUTE = "ttl";

    /** A global secondary index: its name and key attributes (both strings). */
    public record Index(String name, String hashKey, String rangeKey) {
        /** Checks that nothing is missing. */
        public Index {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(hashKey, "hashKey");
            Objects.requireNonNull(rangeKey, "rangeKey");
        }
    }

    /**
     * A table: its logical name (the physical name adds a prefix, see {@link TableNames}), its key
     * attributes (strings) and its global secondary indexes.
     *
     * @param rangeKey {@code null} for a table keyed by its partition key alone
     */
    public record Table(String name, String hashKey, String rangeKey, List<Index> indexes) {
        /** Checks that nothing is missing and copies the indexes. */
        public Table {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(hashKey, "hashKey");
            indexes = List.copyOf(indexes);
        }

        /** Every attribute that is a key of the table or of one of its indexes, in declaration order. */
        public Set<String> keyAttributes() {
            Set<String> names = new LinkedHashSet<>();
            names.add(hashKey);
            if (rangeKey != null) names.add(rangeKey);
            for (Index index : indexes) {
                names.add(index.hashKey());
                names.add(index.rangeKey());
            }
            return names;
        }

        /** The index called {@code indexName}. @throws IllegalArgumentException if there is none */
        public Index index(String indexName) {
            return indexes.stream().filter(i -> i.name().equals(indexName)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException(name + " has no index " + indexName));
        }
    }

    /** The name of the accounts table's index of open holds by expiry bucket (the sweeper's). */
    public static final String HOLDS_BY_EXPIRY = "holds-by-expiry";
    /** The name of the usage table's index by API key. */
    public static final String USAGE_BY_KEY = "usage-by-key";
    /** The name of the usage table's index by end user. */
    public static final String USAGE_BY_USER = "usage-by-user";
    /** The name of the usage table's index by end-user session. */
    public static final String USAGE_BY_SESSION = "usage-by-session";
    /** The name of the files table's index of files by expiry day (the sweeper's). */
    public static final String FILES_BY_EXPIRY = "files-by-expiry";

    /** Accounts, their books (balance and free money), open holds and ledger entries. */
    public static final Table ACCOUNTS = new Table("accounts", Codec.PK, Codec.SK,
            List.of(new Index(HOLDS_BY_EXPIRY, "sweepPk", "sweepSk")));
    /** API keys (by keyed hash, by id, per account) and session tokens. */
    public static final Table CREDENTIALS = new Table("credentials", Codec.PK, Codec.SK, List.of());
    /** Fixed-window request counters and leased stream slots. */
    public static final Table LIMITS = new Table("limits", Codec.PK, null, List.of());
    /** Payment handling's memory: handled events, payers, refund marks, parked events (issue 6). */
    public static final Table PAYMENTS = new Table("payments", Codec.PK, Codec.SK, List.of());
    /** Per-request usage records, newest first per account, and by key, end user and session. */
    public static final Table USAGE = new Table("usage", Codec.PK, Codec.SK, List.of(
            new Index(USAGE_BY_KEY, "keyPk", "keySk"),
            new Index(USAGE_BY_USER, "userPk", "userSk"),
            new Index(USAGE_BY_SESSION, "sessionPk", "sessionSk")));
    /** Uploaded files' metadata: by account, id and SHA-256, the account's usage, and by expiry day. */
    public static final Table FILES = new Table("files", Codec.PK, Codec.SK,
            List.of(new Index(FILES_BY_EXPIRY, "expiryPk", "expirySk")));

    private TableDefinitions() {
    }

    /** Every table, in a fixed order. */
    public static List<Table> all() {
        return List.of(ACCOUNTS, CREDENTIALS, LIMITS, USAGE, PAYMENTS, FILES);
    }

    /** The request that creates {@code table} under the name {@code physicalName}, on demand. */
    public static CreateTableRequest createRequest(Table table, String physicalName) {
        List<AttributeDefinition> attributes = new ArrayList<>();
        for (String name : table.keyAttributes()) {
            attributes.add(AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build());
        }
        CreateTableRequest.Builder request = CreateTableRequest.builder()
                .tableName(physicalName)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(attributes)
                .keySchema(keySchema(table.hashKey(), table.rangeKey()));
        if (!table.indexes().isEmpty()) {
            request.globalSecondaryIndexes(table.indexes().stream()
                    .map(index -> GlobalSecondaryIndex.builder()
                            .indexName(index.name())
                            .keySchema(keySchema(index.hashKey(), index.rangeKey()))
                            .projection(Projection.builder().projectionType(ProjectionType.ALL).build())
                            .build())
                    .toList());
        }
        return request.build();
    }

    /**
     * Creates every table of {@code names} that does not exist yet (for the local server and tests;
     * on AWS the tables come from {@code template.yaml}). TTL is not switched on here: reads ignore
     * expired items themselves, so a table without TTL only keeps garbage longer.
     *
     * @return the physical names of the tables created now
     * @throws StoreUnavailableException if DynamoDB fails
     */
    public static List<String> createMissing(DynamoDbClient client, TableNames names) {
        List<String> created = new ArrayList<>();
        for (Table table : all()) {
            String name = names.of(table);
            try {
                if (exists(client, name)) continue;
                client.createTable(createRequest(table, name));
                try (DynamoDbWaiter waiter = client.waiter()) {
                    waiter.waitUntilTableExists(b -> b.tableName(name));
                }
                created.add(name);
            } catch (ResourceInUseException raced) {
                // Another process created it between the check and the creation.
            } catch (SdkException e) {
                throw new StoreUnavailableException("cannot create table " + name, e);
            }
        }
        return created;
    }

    private static boolean exists(DynamoDbClient client, String name) {
        try {
            client.describeTable(b -> b.tableName(name));
            return true;
        } catch (ResourceNotFoundException e) {
            return false;
        }
    }

    private static List<KeySchemaElement> keySchema(String hashKey, String rangeKey) {
        List<KeySchemaElement> schema = new ArrayList<>(2);
        schema.add(KeySchemaElement.builder().attributeName(hashKey).keyType(KeyType.HASH).build());
        if (rangeKey != null) {
            schema.add(KeySchemaElement.builder().attributeName(rangeKey).keyType(KeyType.RANGE).build());
        }
        return schema;
    }
}
