package ai.sentx.port.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.sentx.domain.AccountId;
import ai.sentx.port.Sessions;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Sessions} must do (CONTRACT §9): a known session token names its account;
 * anything else (unknown, altered, empty, {@code null}) names none and never throws.
 *
 * <p>The port has no way to create a session, so each implementation's test seeds its own.
 */
public interface SessionsContract {
    /** Sessions that know exactly {@code tokens} (token to the account it signs in to). */
    Sessions sessionsWith(Map<String, AccountId> tokens);

    @Test
    default void namesTheAccount_ofAKnownToken() {
        AccountId ada = anAccount();
        AccountId bob = anAccount();
        String adaToken = aToken();
        String bobToken = aToken();
        Sessions sessions = sessionsWith(Map.of(adaToken, ada, bobToken, bob));

        assertEquals(Optional.of(ada), sessions.authenticate(adaToken));
        assertEquals(Optional.of(bob), sessions.authenticate(bobToken));
    }

    @Test
    default void namesNoAccount_forAnUnknownToken() {
        Sessions sessions = sessionsWith(Map.of(aToken(), anAccount()));

        assertEquals(Optional.empty(), sessions.authenticate(aToken()));
    }

    @Test
    default void namesNoAccount_forAnAlteredToken() {
        String token = aToken();
        Sessions sessions = sessionsWith(Map.of(token, anAccount()));

        assertEquals(Optional.empty(), sessions.authenticate(token.toUpperCase()));
        assertEquals(Optional.empty(), sessions.authenticate(token + "x"));
        assertEquals(Optional.empty(), sessions.authenticate(token.substring(0, token.length() - 1)));
        assertEquals(Optional.empty(), sessions.authenticate(" " + token));
    }

    @Test
    default void namesNoAccount_forAnEmptyOrMissingToken() {
        Sessions sessions = sessionsWith(Map.of(aToken(), anAccount()));

        assertEquals(Optional.empty(), sessions.authenticate(null));
        assertEquals(Optional.empty(), sessions.authenticate(""));
        assertEquals(Optional.empty(), sessions.authenticate("   "));
    }

    @Test
    default void namesNoAccount_whenNoSessionExists() {
        Sessions sessions = sessionsWith(Map.of());

        assertEquals(Optional.empty(), sessions.authenticate(aToken()));
    }

    private static AccountId anAccount() {
        return new AccountId("acct_" + UUID.randomUUID());
    }

    private static String aToken() {
        return "sess_" + UUID.randomUUID().toString().replace("-", "") + "abc";
    }
}
