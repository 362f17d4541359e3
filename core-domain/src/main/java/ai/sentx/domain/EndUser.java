package ai.sentx.domain;

/**
 * Who is behind a request (CONTRACT §5): the end-user id, display name and conversation id, each
 * {@code null} when not sent.
 */
public record EndUser(String user, String userName, String session) {
    public static final EndUser NONE = new EndUser(null, null, null);
}
