package ai.sentx.application;

import ai.sentx.domain.AccountId;
import ai.sentx.domain.ApiKeyFormat;
import ai.sentx.domain.Failure;
import ai.sentx.domain.FailureException;
import ai.sentx.domain.Problem;
import ai.sentx.port.Sessions;
import ai.sentx.port.SessionsUnavailableException;

/** Turns a dashboard session token into its account; an API key is never a session. */
public final class AuthenticateSession {
    private final Sessions sessions;

    public AuthenticateSession(Sessions sessions) {
        this.sessions = sessions;
    }

    /**
     * @throws FailureException {@code INVALID_SESSION} for a missing, unknown or API-key token;
     *                          {@code SIGN_IN_UNAVAILABLE} when the token cannot be judged right now
     */
    public AccountId authenticate(String token) {
        if (token == null || token.isEmpty() || token.startsWith(ApiKeyFormat.PREFIX)) {
            throw invalid();
        }
        try {
            return sessions.authenticate(token).orElseThrow(AuthenticateSession::invalid);
        } catch (SessionsUnavailableException e) {
            System.getLogger(AuthenticateSession.class.getName()).log(System.Logger.Level.WARNING,
                    "sessions unavailable: " + e.getMessage());
            throw Failure.of(Problem.SIGN_IN_UNAVAILABLE,
                    "Sign-in cannot be checked right now. Retry in a moment.").exception();
        }
    }

    private static FailureException invalid() {
        return Failure.of(Problem.INVALID_SESSION,
                "A valid account session is required (Authorization: Bearer <session token>); API keys are not sessions.")
                .exception();
    }
}
