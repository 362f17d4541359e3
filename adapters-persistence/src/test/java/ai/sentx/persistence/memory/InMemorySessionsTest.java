package ai.sentx.persistence.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.sentx.domain.AccountId;
import ai.sentx.domain.KeyHasher;
import ai.sentx.port.Sessions;
import ai.sentx.port.contract.SessionsContract;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Runs the {@link SessionsContract} on {@link InMemorySessions}. */
class InMemorySessionsTest implements SessionsContract {
    private static final KeyHasher HASHER =
            new KeyHasher("a test secret of at least thirty-two bytes".getBytes(StandardCharsets.UTF_8));

    @Override
    public Sessions sessionsWith(Map<String, AccountId> tokens) {
        InMemorySessions sessions = new InMemorySessions(HASHER);
        tokens.forEach(sessions::register);
        return sessions;
    }

    @Test
    void refusesToRegister_aBlankToken() {
        InMemorySessions sessions = new InMemorySessions(HASHER);

        assertThrows(IllegalArgumentException.class, () -> sessions.register(" ", new AccountId("acct_1")));
    }

    @Test
    void movesAToken_whenItIsRegisteredAgain() {
        InMemorySessions sessions = new InMemorySessions(HASHER);
        sessions.register("sess_token", new AccountId("acct_1"));

        sessions.register("sess_token", new AccountId("acct_2"));

        assertEquals(Optional.of(new AccountId("acct_2")), sessions.authenticate("sess_token"));
    }

    @Test
    void namesNoAccount_whenGivenTheStoredHashInsteadOfTheToken() {
        InMemorySessions sessions = new InMemorySessions(HASHER);
        sessions.register("sess_token", new AccountId("acct_1"));

        assertEquals(Optional.empty(), sessions.authenticate(HASHER.hash("sess_token")));
    }
}
