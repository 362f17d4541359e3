package ai.sentx.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reading the AWS functions' environment. */
class AwsConfigTest {
    @Test
    void readsThePrefixAndTheRegionLambdaSets_withTheDefaultLookback() {
        AwsConfig config = AwsConfig.from(Map.of("SENTX_DYNAMODB_TABLE_PREFIX", "sentx-prod-", "AWS_REGION", "eu-west-1"));

        assertEquals(new AwsConfig("sentx-prod-", "eu-west-1", null, Duration.ofHours(6)), config);
    }

    @Test
    void prefersTheSentxRegion_andTakesAnEndpointAndLookback() {
        AwsConfig config = AwsConfig.from(Map.of("SENTX_DYNAMODB_TABLE_PREFIX", "", "AWS_REGION", "eu-west-1",
                "SENTX_DYNAMODB_REGION", "us-east-1", "SENTX_DYNAMODB_ENDPOINT", "http://localhost:4566",
                "SENTX_SWEEP_LOOKBACK_HOURS", "24"));

        assertEquals(new AwsConfig("", "us-east-1", URI.create("http://localhost:4566"), Duration.ofHours(24)), config);
    }

    @Test
    void refusesAMissingPrefixOrRegion_orAMalformedValue_namingTheVariable() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> AwsConfig.from(Map.of("AWS_REGION", "eu-west-1")))
                .getMessage().contains("SENTX_DYNAMODB_TABLE_PREFIX"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> AwsConfig.from(Map.of("SENTX_DYNAMODB_TABLE_PREFIX", "x")))
                .getMessage().contains("AWS_REGION"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> AwsConfig.from(Map.of("SENTX_DYNAMODB_TABLE_PREFIX", "x",
                "AWS_REGION", "eu-west-1", "SENTX_DYNAMODB_ENDPOINT", "localhost"))).getMessage().contains("SENTX_DYNAMODB_ENDPOINT"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> AwsConfig.from(Map.of("SENTX_DYNAMODB_TABLE_PREFIX", "x",
                "AWS_REGION", "eu-west-1", "SENTX_SWEEP_LOOKBACK_HOURS", "six"))).getMessage().contains("SENTX_SWEEP_LOOKBACK_HOURS"));
        assertNull(AwsConfig.from(Map.of("SENTX_DYNAMODB_TABLE_PREFIX", "x", "AWS_REGION", "r", "SENTX_DYNAMODB_ENDPOINT", " ")).endpoint());
    }
}
