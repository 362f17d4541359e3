package ai.sentx.model.upstream;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * Which Amazon Bedrock model {@link BedrockBackend} calls, and how.
 *
 * @param region            the AWS region, e.g. {@code us-east-1}
 * @param modelId           a model or inference-profile id, e.g.
 *                          {@code us.anthropic.claude-3-5-haiku-20241022-v1:0}
 * @param endpoint          an endpoint to use instead of the region's (a VPC endpoint, a test
 *                          server), or {@code null}
 * @param credentials       the credentials, or {@code null} for the SDK's default chain
 *                          (environment, profile, container or instance role)
 * @param connectTimeout    the longest a TCP (and TLS) connect may take
 * @param firstTokenTimeout the longest from sending the request to the first generated token
 * @param idleTimeout       the longest the service may send nothing once tokens flow
 */
public record BedrockConfig(String region, String modelId, URI endpoint, AwsCredentialsProvider credentials,
                            Duration connectTimeout, Duration firstTokenTimeout, Duration idleTimeout) {
    /**
     * @throws IllegalArgumentException if the region or the model id is blank, or a timeout is not positive
     * @throws NullPointerException     if a parameter other than {@code endpoint} and {@code credentials} is null
     */
    public BedrockConfig {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(modelId, "modelId");
        if (region.isBlank()) throw new IllegalArgumentException("the Bedrock region must not be blank");
        if (modelId.isBlank()) throw new IllegalArgumentException("the Bedrock model id must not be blank");
        positive(connectTimeout, "connectTimeout");
        positive(firstTokenTimeout, "firstTokenTimeout");
        positive(idleTimeout, "idleTimeout");
    }

    /** A configuration with the default credentials, endpoint and timeouts (those of {@link UpstreamConfig}). */
    public static BedrockConfig of(String region, String modelId) {
        return new BedrockConfig(region, modelId, null, null, UpstreamConfig.DEFAULT_CONNECT_TIMEOUT,
                UpstreamConfig.DEFAULT_FIRST_TOKEN_TIMEOUT, UpstreamConfig.DEFAULT_IDLE_TIMEOUT);
    }

    public BedrockConfig withEndpoint(URI newEndpoint, AwsCredentialsProvider newCredentials) {
        return new BedrockConfig(region, modelId, newEndpoint, newCredentials, connectTimeout, firstTokenTimeout,
                idleTimeout);
    }

    public BedrockConfig withTimeouts(Duration connect, Duration firstToken, Duration idle) {
        return new BedrockConfig(region, modelId, endpoint, credentials, connect, firstToken, idle);
    }

    /** Never prints credentials. */
    @Override
    public String toString() {
        return "BedrockConfig[region=" + region + ", modelId=" + modelId + ", endpoint="
                + (endpoint == null ? "default" : endpoint.getScheme() + "://" + endpoint.getHost()
                + (endpoint.getPort() < 0 ? "" : ":" + endpoint.getPort()))
                + ", credentials=" + (credentials == null ? "default chain" : "given") + ", connectTimeout="
                + connectTimeout + ", firstTokenTimeout=" + firstTokenTimeout + ", idleTimeout=" + idleTimeout + "]";
    }

    private static void positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) throw new IllegalArgumentException(name + " must be positive");
    }
}
