package ai.sentx.lambda;

import ai.sentx.application.SweepExpiredHolds;
import ai.sentx.persistence.dynamodb.DynamoDbLedger;
import ai.sentx.persistence.dynamodb.TableNames;
import java.time.Clock;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;

/**
 * The AWS composition root: builds the SDK clients and the DynamoDB adapters (the persistence of
 * every AWS function) from an {@link AwsConfig}. Handlers call it once per execution environment.
 */
public final class AwsWiring {
    private AwsWiring() {
    }

    /** The configuration of this function's environment. */
    public static AwsConfig configFromEnvironment() {
        return AwsConfig.from(System.getenv());
    }

    /** A DynamoDB client with the small URLConnection HTTP client and the default credentials (the function's role). */
    public static DynamoDbClient dynamoDb(AwsConfig config) {
        return dynamoDb(config, DefaultCredentialsProvider.builder().build());
    }

    /** A DynamoDB client with the given credentials. */
    public static DynamoDbClient dynamoDb(AwsConfig config, AwsCredentialsProvider credentials) {
        DynamoDbClientBuilder builder = DynamoDbClient.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .region(Region.of(config.region()))
                .credentialsProvider(credentials);
        if (config.endpoint() != null) builder.endpointOverride(config.endpoint());
        return builder.build();
    }

    /** The hold sweeper's use case on the DynamoDB ledger. */
    public static SweepExpiredHolds sweepExpiredHolds(AwsConfig config, DynamoDbClient client, Clock clock) {
        DynamoDbLedger ledger = new DynamoDbLedger(client, new TableNames(config.tablePrefix()),
                DynamoDbLedger.DEFAULT_SWEEP_SHARDS, config.sweepLookback());
        return new SweepExpiredHolds(ledger, clock);
    }
}
