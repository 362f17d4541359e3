package ai.sentx.model.upstream;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * Where and how {@link OpenAiCompatibleBackend} calls its model server.
 *
 * @param baseUrl           the server's API base, e.g. {@code http://127.0.0.1:8000/v1}; requests go
 *                          to {@code {baseUrl}/chat/completions}
 * @param apiKey            sent as {@code Authorization: Bearer ...}; {@code null} sends no header
 * @param model             the model name sent upstream (the client's {@code model} is ignored)
 * @param connectTimeout    the longest a TCP (and TLS) connect may take
 * @param firstTokenTimeout the longest from sending the request to the first generated token
 *                          (text, reasoning or tool-call delta); covers the response headers too
 * @param idleTimeout       the longest the server may send nothing at all once tokens flow
 * @param tokenLimitField   which request field carries the output budget
 */
public record UpstreamConfig(URI baseUrl, String apiKey, String model, Duration connectTimeout,
                             Duration firstTokenTimeout, Duration idleTimeout, TokenLimitField tokenLimitField) {
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Generous: reasoning models may think for a long while before their first visible token. */
    public static final Duration DEFAULT_FIRST_TOKEN_TIMEOUT = Duration.ofSeconds(120);
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);

    /** The name of the output-budget field in the upstream request. */
    public enum TokenLimitField {
        /** {@code max_completion_tokens}: OpenAI's current name, required by its reasoning models. */
        MAX_COMPLETION_TOKENS,
        /** {@code max_tokens}: for older servers that know only the original name. */
        MAX_TOKENS,
        /** Both fields with the same value, for servers that honour one and ignore the other. */
        BOTH;

        /** Parses {@code max_completion_tokens}, {@code max_tokens} or {@code both} (any case). */
        public static TokenLimitField parse(String s) {
            return switch (s.strip().toLowerCase(Locale.ROOT)) {
                case "max_completion_tokens" -> MAX_COMPLETION_TOKENS;
                case "max_tokens" -> MAX_TOKENS;
                case "both" -> BOTH;
                default -> throw new IllegalArgumentException(
                        "expected max_completion_tokens, max_tokens or both, not '" + s + "'");
            };
        }
    }

    /**
     * @throws IllegalArgumentException if the URL is not an absolute http(s) URL or a timeout is not
     *                                  positive
     * @throws NullPointerException     if a parameter other than {@code apiKey} is null
     */
    public UpstreamConfig {
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(tokenLimitField, "tokenLimitField");
        String scheme = baseUrl.getScheme() == null ? "" : baseUrl.getScheme().toLowerCase(Locale.ROOT);
        if ((!scheme.equals("http") && !scheme.equals("https")) || baseUrl.getHost() == null) {
            throw new IllegalArgumentException("the upstream URL must be an absolute http:// or https:// URL");
        }
        if (model.isBlank()) throw new IllegalArgumentException("the upstream model name must not be blank");
        positive(connectTimeout, "connectTimeout");
        positive(firstTokenTimeout, "firstTokenTimeout");
        positive(idleTimeout, "idleTimeout");
    }

    /** A configuration with the default timeouts and {@code max_completion_tokens}. */
    public static UpstreamConfig of(URI baseUrl, String apiKey, String model) {
        return new UpstreamConfig(baseUrl, apiKey, model, DEFAULT_CONNECT_TIMEOUT, DEFAULT_FIRST_TOKEN_TIMEOUT,
                DEFAULT_IDLE_TIMEOUT, TokenLimitField.MAX_COMPLETION_TOKENS);
    }

    public UpstreamConfig withTimeouts(Duration connect, Duration firstToken, Duration idle) {
        return new UpstreamConfig(baseUrl, apiKey, model, connect, firstToken, idle, tokenLimitField);
    }

    public UpstreamConfig withTokenLimitField(TokenLimitField field) {
        return new UpstreamConfig(baseUrl, apiKey, model, connectTimeout, firstTokenTimeout, idleTimeout, field);
    }

    /** The chat completions endpoint. */
    URI endpoint() {
        String base = baseUrl.toString();
        while (base.endsWith("/")) base = base.substring(0, base.length() - 1);
        return URI.create(base + "/chat/completions");
    }

    /**
     * The base URL as it may be shown: scheme, host, port and path, without user info, query or
     * fragment (which may carry credentials).
     */
    public String displayUrl() {
        String port = baseUrl.getPort() < 0 ? "" : ":" + baseUrl.getPort();
        String path = baseUrl.getRawPath() == null ? "" : baseUrl.getRawPath();
        return baseUrl.getScheme() + "://" + baseUrl.getHost() + port + path;
    }

    /** Never prints the API key. */
    @Override
    public String toString() {
        return "UpstreamConfig[baseUrl=" + displayUrl() + ", apiKey=" + (apiKey == null ? "none" : "(set)")
                + ", model=" + model + ", connectTimeout=" + connectTimeout + ", firstTokenTimeout="
                + firstTokenTimeout + ", idleTimeout=" + idleTimeout + ", tokenLimitField=" + tokenLimitField + "]";
    }

    private static void positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) throw new IllegalArgumentException(name + " must be positive");
    }
}
