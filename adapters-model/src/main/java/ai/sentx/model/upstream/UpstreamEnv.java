package ai.sentx.model.upstream;

import static ai.sentx.domain.ConfigValues.blank;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Map;

/**
 * Reads the {@code SENTX_UPSTREAM_*} variables from a composition root's environment (the local
 * server's and the AWS functions'): with {@code SENTX_UPSTREAM_URL} set, every chat is relayed to
 * that OpenAI-compatible server instead of the built-in model.
 *
 * <table>
 *   <caption>Variables</caption>
 *   <tr><td>{@code SENTX_UPSTREAM_URL}</td><td>API base, e.g. {@code http://127.0.0.1:8000/v1}</td></tr>
 *   <tr><td>{@code SENTX_UPSTREAM_API_KEY}</td><td>sent as a bearer token; none when unset</td></tr>
 *   <tr><td>{@code SENTX_UPSTREAM_MODEL}</td><td>model name sent upstream ({@value #DEFAULT_MODEL})</td></tr>
 *   <tr><td>{@code SENTX_UPSTREAM_CONNECT_TIMEOUT_MS}</td><td>5,000</td></tr>
 *   <tr><td>{@code SENTX_UPSTREAM_FIRST_TOKEN_TIMEOUT_MS}</td><td>120,000</td></tr>
 *   <tr><td>{@code SENTX_UPSTREAM_IDLE_TIMEOUT_MS}</td><td>60,000</td></tr>
 *   <tr><td>{@code SENTX_UPSTREAM_TOKEN_LIMIT_FIELD}</td><td>{@code max_completion_tokens} (default),
 *       {@code max_tokens} or {@code both}</td></tr>
 * </table>
 *
 * <p>Or, with {@code SENTX_BEDROCK_MODEL_ID} set instead, a model on Amazon Bedrock ({@link #bedrock}).
 */
public final class UpstreamEnv {
    /** The model asked for when {@code SENTX_UPSTREAM_MODEL} is unset (OpenAI's, whose tokenizer SentX uses). */
    public static final String DEFAULT_MODEL = "gpt-4o-mini";

    private UpstreamEnv() {
    }

    /**
     * The upstream configuration, or {@code null} when {@code SENTX_UPSTREAM_URL} is unset.
     *
     * @throws IllegalArgumentException with a readable message for a malformed value
     */
    public static UpstreamConfig read(Map<String, String> env) {
        String url = blank(env.get("SENTX_UPSTREAM_URL"));
        if (url == null) return null;
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("SENTX_UPSTREAM_URL must be an absolute http:// or https:// URL");
        }
        String model = blank(env.get("SENTX_UPSTREAM_MODEL"));
        UpstreamConfig.TokenLimitField field;
        String fieldName = blank(env.get("SENTX_UPSTREAM_TOKEN_LIMIT_FIELD"));
        try {
            field = fieldName == null ? UpstreamConfig.TokenLimitField.MAX_COMPLETION_TOKENS
                    : UpstreamConfig.TokenLimitField.parse(fieldName);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("SENTX_UPSTREAM_TOKEN_LIMIT_FIELD: " + e.getMessage());
        }
        try {
            return new UpstreamConfig(uri, blank(env.get("SENTX_UPSTREAM_API_KEY")),
                    model == null ? DEFAULT_MODEL : model,
                    millis(env, "SENTX_UPSTREAM_CONNECT_TIMEOUT_MS", UpstreamConfig.DEFAULT_CONNECT_TIMEOUT),
                    millis(env, "SENTX_UPSTREAM_FIRST_TOKEN_TIMEOUT_MS", UpstreamConfig.DEFAULT_FIRST_TOKEN_TIMEOUT),
                    millis(env, "SENTX_UPSTREAM_IDLE_TIMEOUT_MS", UpstreamConfig.DEFAULT_IDLE_TIMEOUT),
                    field);
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("SENTX_")) throw e;
            throw new IllegalArgumentException("SENTX_UPSTREAM_URL: " + e.getMessage());
        }
    }

    /**
     * The Amazon Bedrock model, or {@code null} when {@code SENTX_BEDROCK_MODEL_ID} is unset:
     * {@code SENTX_BEDROCK_MODEL_ID} (a model or inference-profile id), {@code SENTX_BEDROCK_REGION}
     * (else {@code AWS_REGION}, else {@code AWS_DEFAULT_REGION}), optional {@code SENTX_BEDROCK_ENDPOINT},
     * and the {@code SENTX_UPSTREAM_*_TIMEOUT_MS} timeouts. Credentials come from the AWS SDK's default
     * chain (environment, profile, container or instance role).
     *
     * @throws IllegalArgumentException with a readable message for a malformed value, a missing
     *                                  region, or both {@code SENTX_BEDROCK_MODEL_ID} and
     *                                  {@code SENTX_UPSTREAM_URL}
     */
    public static BedrockConfig bedrock(Map<String, String> env) {
        String model = blank(env.get("SENTX_BEDROCK_MODEL_ID"));
        if (model == null) return null;
        if (blank(env.get("SENTX_UPSTREAM_URL")) != null) {
            throw new IllegalArgumentException("SENTX_BEDROCK_MODEL_ID and SENTX_UPSTREAM_URL are both set: choose one "
                    + "model backend");
        }
        String region = blank(env.get("SENTX_BEDROCK_REGION"));
        if (region == null) region = blank(env.get("AWS_REGION"));
        if (region == null) region = blank(env.get("AWS_DEFAULT_REGION"));
        if (region == null) {
            throw new IllegalArgumentException("SENTX_BEDROCK_REGION (or AWS_REGION) must name the region of "
                    + "SENTX_BEDROCK_MODEL_ID");
        }
        String endpoint = blank(env.get("SENTX_BEDROCK_ENDPOINT"));
        URI uri = null;
        if (endpoint != null) {
            try {
                uri = new URI(endpoint);
            } catch (URISyntaxException e) {
                uri = null;
            }
            if (uri == null || uri.getScheme() == null || uri.getHost() == null) {
                throw new IllegalArgumentException("SENTX_BEDROCK_ENDPOINT must be an absolute http:// or https:// URL");
            }
        }
        return new BedrockConfig(region, model, uri, null,
                millis(env, "SENTX_UPSTREAM_CONNECT_TIMEOUT_MS", UpstreamConfig.DEFAULT_CONNECT_TIMEOUT),
                millis(env, "SENTX_UPSTREAM_FIRST_TOKEN_TIMEOUT_MS", UpstreamConfig.DEFAULT_FIRST_TOKEN_TIMEOUT),
                millis(env, "SENTX_UPSTREAM_IDLE_TIMEOUT_MS", UpstreamConfig.DEFAULT_IDLE_TIMEOUT));
    }

    private static Duration millis(Map<String, String> env, String name, Duration fallback) {
        String raw = blank(env.get(name));
        if (raw == null) return fallback;
        try {
            long v = Long.parseLong(raw);
            if (v <= 0) throw new NumberFormatException();
            return Duration.ofMillis(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a positive whole number of milliseconds, not '"
                    + raw + "'");
        }
    }
}
