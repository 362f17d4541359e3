package ai.sentx.persistence.dynamodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.sentx.domain.AccountId;
import ai.sentx.domain.ApiKeyRecord;
import ai.sentx.domain.KeyId;
import ai.sentx.port.ApiKeys;
import ai.sentx.port.contract.ApiKeysContract;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Runs the {@link ApiKeysContract} on {@link DynamoDbApiKeys} over the fake, and checks its costs and refusals. */
class DynamoDbApiKeysIT implements ApiKeysContract {
    private static final DynamoDbClient CLIENT = FakeDynamoDbServer.newClient();
    private static final TableNames TABLES = FakeDynamoDbServer.freshTables("keys");

    private final Instant t = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    @Override
    public ApiKeys newApiKeys() {
        return new DynamoDbApiKeys(CLIENT, TABLES);
    }

    @Test
    void findsAKeyWithOneRead_andTouchesItWithOneWrite() {
        ApiKeyRecord key = key("key_" + UUID.randomUUID(), hash());
        newApiKeys().create(key, 25);
        ApiKeys keys = newApiKeys();

        RequestCounter.Counts before = RequestCounter.snapshot();
        keys.findByHash(key.hash()).orElseThrow();
        keys.touch(key.id(), t.plusSeconds(61));

        assertEquals(Map.of("GetItem", 1L, "UpdateItem", 1L), RequestCounter.snapshot().since(before).byOperation());
        assertEquals(t.plusSeconds(61), keys.findByHash(key.hash()).orElseThrow().lastUsedAt());
    }

    @Test
    void refusesAKey_whoseIdOrHashBelongsToAnotherKey() {
        ApiKeys keys = newApiKeys();
        ApiKeyRecord stored = key("key_" + UUID.randomUUID(), hash());
        keys.create(stored, 25);

        assertThrows(IllegalArgumentException.class, () -> keys.create(key(stored.id().value(), hash()), 25));
        assertThrows(IllegalArgumentException.class, () -> keys.create(key("key_" + UUID.randomUUID(), stored.hash()), 25));
    }

    private ApiKeyRecord key(String id, String hash) {
        return new ApiKeyRecord(new KeyId(id), new AccountId("acct_" + UUID.randomUUID()), "k", hash, "sk-...abcd", t, null, null);
    }

    private static String hash() {
        return (UUID.randomUUID().toString() + UUID.randomUUID()).replace("-", "");
    }
}
