package ai.sentx.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The banner's model line and the configuration's text: the backend named, its secrets never. */
class BackendBannerTest {
    @Test
    void withoutAnUpstream_theBuiltInModelIsNamed() {
        assertTrue(Main.backend(LocalConfig.from(Map.of())).startsWith("built-in"));
    }

    @Test
    void aBedrockModelIsNamedWithItsRegion() {
        LocalConfig config = LocalConfig.from(Map.of("SENTX_BEDROCK_MODEL_ID", "m", "SENTX_BEDROCK_REGION",
                "us-east-2", "SENTX_BEDROCK_ENDPOINT", "http://127.0.0.1:4566"));
        assertEquals("Amazon Bedrock m in us-east-2", Main.backend(config));
    }

    @Test
    void theBannerAndTheConfigsToString_nameTheUpstream_butNeverItsKeyOrUrlCredentials() {
        LocalConfig config = LocalConfig.from(Map.of(
                "SENTX_UPSTREAM_URL", "https://bob:hunter2@api.example.com/v1?token=abc",
                "SENTX_UPSTREAM_API_KEY", "sk-upstream-secret",
                "SENTX_UPSTREAM_MODEL", "m-1"));
        String line = Main.backend(config);
        assertEquals("OpenAI-compatible upstream https://api.example.com/v1, model m-1", line);
        for (String leak : new String[] {"sk-upstream-secret", "hunter2", "token=abc"}) {
            assertFalse(config.toString().contains(leak), config::toString);
        }
    }

}
