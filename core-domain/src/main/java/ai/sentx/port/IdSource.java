package ai.sentx.port;

/** Unique identifiers ({@code chatcmpl-...}, request ids, key ids); injectable for tests. */
public interface IdSource {
    /** A new id: {@code prefix} followed by random URL-safe characters. */
    String next(String prefix);
}
