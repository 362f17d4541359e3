package ai.sentx.local;

import ai.sentx.persistence.dynamodb.FakeDynamoDbServer;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs a test class's local servers on DynamoDB instead of memory: the FakeDynamoDb of this JVM
 * (TESTING.md), configured the way an operator would ({@code SENTX_DYNAMODB_*}), with fresh tables
 * for every server so that each starts as empty as an in-memory one. Put it on a subclass of an
 * end-to-end suite: its callbacks run before the suite's own {@code @BeforeAll}.
 */
final class OnDynamoDb implements BeforeAllCallback, AfterAllCallback {
    private static final AtomicInteger SERVERS = new AtomicInteger();

    @Override
    public void beforeAll(ExtensionContext context) {
        String endpoint = FakeDynamoDbServer.endpoint().toString();
        TestServers.environment = () -> Map.of(
                "SENTX_DYNAMODB_ENDPOINT", endpoint,
                "SENTX_DYNAMODB_REGION", "eu-west-1",
                "SENTX_DYNAMODB_TABLE_PREFIX", "e2e" + SERVERS.incrementAndGet() + "-",
                "SENTX_DYNAMODB_CREATE_TABLES", "true");
    }

    @Override
    public void afterAll(ExtensionContext context) {
        TestServers.environment = Map::of;
    }
}
