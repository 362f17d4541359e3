package ai.sentx.application;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.sentx.domain.AccountId;
import ai.sentx.domain.FailureException;
import ai.sentx.domain.Problem;
import ai.sentx.port.SessionsUnavailableException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AuthenticateSessionTest {
    @Test
    void aKnownToken_isItsAccount_anUnknownOne_isInvalid() {
        AuthenticateSession auth = new AuthenticateSession(
                token -> token.equals("sess_ok") ? Optional.of(new AccountId("acct_1")) : Optional.empty());
        assertEquals(new AccountId("acct_1"), auth.authenticate("sess_ok"));
        assertEquals(Problem.INVALID_SESSION,
                assertThrows(FailureException.class, () -> auth.authenticate("sess_no")).failure().problem());
        assertEquals(Problem.INVALID_SESSION, assertThrows(FailureException.class,
                () -> auth.authenticate("sk-anApiKeyIsNeverASession")).failure().problem());
    }

    @Test
    void anIdentityProviderOutage_isARetryable503_notSignInAgain() {
        AuthenticateSession auth = new AuthenticateSession(token -> {
            throw new SessionsUnavailableException("cannot fetch the keys", null);
        });
        FailureException e = assertThrows(FailureException.class, () -> auth.authenticate("eyJhbGciOiJSUzI1NiJ9.x.y"));
        assertEquals(Problem.SIGN_IN_UNAVAILABLE, e.failure().problem());
    }
}
