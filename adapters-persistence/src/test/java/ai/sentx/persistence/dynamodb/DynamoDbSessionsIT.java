package ai.sentx.persistence.dynamodb;

import ai.sentx.persistence.memory.MutableClock;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.sentx.domain.AccountId;
import ai.sentx.domain.KeyHasher;
import ai.sentx.port.Sessions;
import ai.sentx.port.contract.SessionsContract;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Runs the {@link SessionsContract} on {@link DynamoDbSessions} over the fake, and checks expiry. */
class DynamoDbSessionsIT implements SessionsContract {
    private static final DynamoDbClient CLIENT = FakeDynamoDbServer.newClient();
    private static final TableNames TABLES = FakeDynamoDbServer.freshTables("sessions");
    private static final KeyHasher HASHER =
            new KeyHasher("a test secret of at least thirty-two bytes".getBytes(StandardCharsets.UTF_8));

    @Override
    public Sessions sessionsWith(Map<String, AccountId> tokens) {
        DynamoDbSessions sessions = new DynamoDbSessions(CLIENT, TABLES, HASHER, Clock.systemUTC());
        tokens.forEach(sessions::register);
        return sessions;
    }

    @Test
    void namesNoAccount_onceTheSessionHasExpired_thoughTtlHasNotDeletedIt() {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-29T19:51:00Z"));
        DynamoDbSessions sessions = new DynamoDbSessions(CLIENT, TABLES, HASHER, clock);
        AccountId account = new AccountId("acct_" + UUID.randomUUID());
        String token = "sess_" + UUID.randomUUID();
        sessions.register(token, account, clock.instant().plus(Duration.ofHours(1)));
        assertEquals(Optional.of(account), sessions.authenticate(token));

        clock.advance(Duration.ofHours(1));

        assertEquals(Optional.empty(), sessions.authenticate(token));
    }

    @Test
    void movesAToken_whenItIsRegisteredAgain() {
        DynamoDbSessions sessions = new DynamoDbSessions(CLIENT, TABLES, HASHER, Clock.systemUTC());
        String token = "sess_" + UUID.randomUUID();
        AccountId second = new AccountId("acct_" + UUID.randomUUID());
        sessions.register(token, new AccountId("acct_" + UUID.randomUUID()));

        sessions.register(token, second);

        assertEquals(Optional.of(second), sessions.authenticate(token));
    }
}
