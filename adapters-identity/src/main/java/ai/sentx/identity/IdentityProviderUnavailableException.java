package ai.sentx.identity;

import ai.sentx.port.SessionsUnavailableException;

/**
 * The identity provider's keys could not be fetched, so no token can be judged either way. Not a
 * refusal of the token: callers answer with a server error, not with "sign in again".
 */
public final class IdentityProviderUnavailableException extends SessionsUnavailableException {
    private static final long serialVersionUID = 1L;

    IdentityProviderUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
