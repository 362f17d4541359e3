package ai.sentx.persistence.dynamodb;

import ai.sentx.domain.AccountId;
import ai.sentx.domain.KeyHasher;
import ai.sentx.port.Accounts;
import ai.sentx.port.ApiKeys;
import ai.sentx.port.Ledger;
import ai.sentx.port.PaymentEvents;
import ai.sentx.port.RateLimits;
import ai.sentx.port.Sessions;
import ai.sentx.port.UsageRecords;
import ai.sentx.port.contract.AccountsContract;
import ai.sentx.port.contract.ApiKeysContract;
import ai.sentx.port.contract.LedgerContract;
import ai.sentx.port.contract.PaymentEventsContract;
import ai.sentx.port.contract.RateLimitsContract;
import ai.sentx.port.contract.SessionsContract;
import ai.sentx.port.contract.UsageRecordsContract;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The same port contracts against LocalStack's DynamoDB, where Docker exists (full fidelity:
 * real cancellation errors, real expression semantics); skipped where it does not.
 */
@Testcontainers(disabledWithoutDocker = true)
class DynamoDbOnLocalStackIT {
    @Container
    private static final LocalStackContainer LOCALSTACK =
            new LocalStackContainer(DockerImageName.parse("localstack/localstack:4.4.0")).withServices("dynamodb");
    private static final KeyHasher HASHER =
            new KeyHasher("a test secret of at least thirty-two bytes".getBytes(StandardCharsets.UTF_8));
    private static DynamoDbClient client;
    private static TableNames tables;

    private static synchronized DynamoDbClient client() {
        if (client == null) {
            client = DynamoDbClient.builder()
                    .endpointOverride(LOCALSTACK.getEndpoint())
                    .region(Region.of(LOCALSTACK.getRegion()))
                    .credentialsProvider(StaticCredentialsProvider.create(
                            AwsBasicCredentials.create(LOCALSTACK.getAccessKey(), LOCALSTACK.getSecretKey())))
                    .httpClient(UrlConnectionHttpClient.create())
                    .build();
            tables = new TableNames("localstack-");
            TableDefinitions.createMissing(client, tables);
        }
        return client;
    }

    private static synchronized TableNames tables() {
        client();
        return tables;
    }

    @Nested
    class AccountsOnLocalStack implements AccountsContract {
        @Override
        public Accounts newAccounts() {
            return new DynamoDbAccounts(client(), tables());
        }
    }

    @Nested
    class LedgerOnLocalStack implements LedgerContract {
        @Override
        public Ledger newLedger() {
            return new DynamoDbLedger(client(), tables());
        }
    }

    @Nested
    class ApiKeysOnLocalStack implements ApiKeysContract {
        @Override
        public ApiKeys newApiKeys() {
            return new DynamoDbApiKeys(client(), tables());
        }
    }

    @Nested
    class RateLimitsOnLocalStack implements RateLimitsContract {
        @Override
        public RateLimits newRateLimits() {
            return new DynamoDbRateLimits(client(), tables(), Clock.systemUTC());
        }
    }

    @Nested
    class UsageRecordsOnLocalStack implements UsageRecordsContract {
        @Override
        public UsageRecords newUsageRecords() {
            return new DynamoDbUsageRecords(client(), tables());
        }
    }

    @Nested
    class PaymentEventsOnLocalStack implements PaymentEventsContract {
        @Override
        public PaymentEvents newPaymentEvents() {
            return new DynamoDbPaymentEvents(client(), tables());
        }
    }

    @Nested
    class SessionsOnLocalStack implements SessionsContract {
        @Override
        public Sessions sessionsWith(Map<String, AccountId> tokens) {
            DynamoDbSessions sessions = new DynamoDbSessions(client(), tables(), HASHER, Clock.systemUTC());
            tokens.forEach(sessions::register);
            return sessions;
        }
    }
}
