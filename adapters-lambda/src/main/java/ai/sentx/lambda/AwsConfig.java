package ai.sentx.lambda;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * The AWS deployment's configuration, read once from the function's environment.
 *
 * @param tablePrefix   {@code SENTX_DYNAMODB_TABLE_PREFIX} (required): the stage's table prefix
 * @param region        {@code SENTX_DYNAMODB_REGION}, else {@code AWS_REGION} (set by Lambda)
 * @param endpoint      {@code SENTX_DYNAMODB_ENDPOINT}: another DynamoDB endpoint (an emulator,
 *                      a VPC endpoint), or {@code null} for the region's own
 * @param sweepLookback {@code SENTX_SWEEP_LOOKBACK_HOURS} (default 6): how far back the hold
 *                      sweeper reads the expiry index
 */
public record AwsConfig(String tablePrefix, String region, URI endpoint, Duration sweepLookback) {
    /** Checks that nothing required is missing. */
    public AwsConfig {
        Objects.requireNonNull(tablePrefix, "tablePrefix");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(sweepLookback, "sweepLookback");
    }

    /**
     * Reads the configuration.
     *
     * @throws IllegalArgumentException naming the variable that is missing or malformed
     */
    public static AwsConfig from(Map<String, String> env) {
        String prefix = env.get("SENTX_DYNAMODB_TABLE_PREFIX");
        if (prefix == null) throw new IllegalArgumentException("SENTX_DYNAMODB_TABLE_PREFIX is not set");
        String region = blank(env.get("SENTX_DYNAMODB_REGION"));
        if (region == null) region = blank(env.get("AWS_REGION"));
        if (region == null) throw new IllegalArgumentException("neither SENTX_DYNAMODB_REGION nor AWS_REGION is set");
        String endpoint = blank(env.get("SENTX_DYNAMODB_ENDPOINT"));
        URI uri = null;
        if (endpoint != null) {
            uri = URI.create(endpoint);
            if (uri.getScheme() == null || uri.getHost() == null) {
                throw new IllegalArgumentException("SENTX_DYNAMODB_ENDPOINT must be a URL such as http://localhost:8000");
            }
        }
        String hours = blank(env.get("SENTX_SWEEP_LOOKBACK_HOURS"));
        long lookback;
        try {
            lookback = hours == null ? 6 : Long.parseLong(hours);
        } catch (NumberFormatException e) {
            lookback = -1;
        }
        if (lookback < 0) throw new IllegalArgumentException("SENTX_SWEEP_LOOKBACK_HOURS must be a whole number of hours");
        return new AwsConfig(prefix.strip(), region, uri, Duration.ofHours(lookback));
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
