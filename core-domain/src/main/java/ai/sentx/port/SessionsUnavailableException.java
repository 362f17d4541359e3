package ai.sentx.port;

/**
 * {@link Sessions} could not judge a token either way (the identity provider's keys could not be
 * fetched): not a refusal of the token, so callers answer "try again", never "sign in again". The
 * message is safe to log and names no token.
 */
public class SessionsUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SessionsUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
