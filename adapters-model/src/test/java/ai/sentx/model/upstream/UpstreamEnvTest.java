package ai.sentx.model.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UpstreamEnvTest {
    @Test
    void withoutAnUpstreamUrl_theBuiltInModelServes() {
        assertNull(UpstreamEnv.read(Map.of()));
        assertNull(UpstreamEnv.read(Map.of("SENTX_UPSTREAM_URL", "  ", "SENTX_UPSTREAM_API_KEY", "sk-x")));
    }

    @Test
    void anUpstreamUrl_alone_takesTheDefaults() {
        UpstreamConfig c = UpstreamEnv.read(Map.of("SENTX_UPSTREAM_URL", "http://127.0.0.1:8000/v1"));
        assertEquals("http://127.0.0.1:8000/v1", c.displayUrl());
        assertNull(c.apiKey());
        assertEquals(UpstreamEnv.DEFAULT_MODEL, c.model());
        assertEquals(UpstreamConfig.DEFAULT_CONNECT_TIMEOUT, c.connectTimeout());
        assertEquals(UpstreamConfig.DEFAULT_FIRST_TOKEN_TIMEOUT, c.firstTokenTimeout());
        assertEquals(UpstreamConfig.DEFAULT_IDLE_TIMEOUT, c.idleTimeout());
        assertEquals(UpstreamConfig.TokenLimitField.MAX_COMPLETION_TOKENS, c.tokenLimitField());
    }

    @Test
    void everyVariableIsRead() {
        UpstreamConfig c = UpstreamEnv.read(Map.of(
                "SENTX_UPSTREAM_URL", "https://api.example.com/v1",
                "SENTX_UPSTREAM_API_KEY", "sk-upstream-secret",
                "SENTX_UPSTREAM_MODEL", "llama-3.1-8b",
                "SENTX_UPSTREAM_CONNECT_TIMEOUT_MS", "250",
                "SENTX_UPSTREAM_FIRST_TOKEN_TIMEOUT_MS", "9000",
                "SENTX_UPSTREAM_IDLE_TIMEOUT_MS", "3000",
                "SENTX_UPSTREAM_TOKEN_LIMIT_FIELD", "max_tokens"));
        assertEquals("sk-upstream-secret", c.apiKey());
        assertEquals("llama-3.1-8b", c.model());
        assertEquals(Duration.ofMillis(250), c.connectTimeout());
        assertEquals(Duration.ofMillis(9000), c.firstTokenTimeout());
        assertEquals(Duration.ofMillis(3000), c.idleTimeout());
        assertEquals(UpstreamConfig.TokenLimitField.MAX_TOKENS, c.tokenLimitField());
    }

    @Test
    void malformedValues_areNamedInTheError() {
        assertMessage("SENTX_UPSTREAM_URL", Map.of("SENTX_UPSTREAM_URL", "ftp://h/v1"));
        assertMessage("SENTX_UPSTREAM_URL", Map.of("SENTX_UPSTREAM_URL", "not a url"));
        assertMessage("SENTX_UPSTREAM_IDLE_TIMEOUT_MS", Map.of("SENTX_UPSTREAM_URL", "http://h/v1",
                "SENTX_UPSTREAM_IDLE_TIMEOUT_MS", "0"));
        assertMessage("SENTX_UPSTREAM_CONNECT_TIMEOUT_MS", Map.of("SENTX_UPSTREAM_URL", "http://h/v1",
                "SENTX_UPSTREAM_CONNECT_TIMEOUT_MS", "soon"));
        assertMessage("SENTX_UPSTREAM_TOKEN_LIMIT_FIELD", Map.of("SENTX_UPSTREAM_URL", "http://h/v1",
                "SENTX_UPSTREAM_TOKEN_LIMIT_FIELD", "tokens"));
    }

    @Test
    void aBedrockModelId_selectsBedrock_inTheNamedRegion_orAwsRegion() {
        assertNull(UpstreamEnv.bedrock(Map.of()));
        BedrockConfig c = UpstreamEnv.bedrock(Map.of("SENTX_BEDROCK_MODEL_ID", "us.anthropic.claude-3-5-haiku-v1:0",
                "AWS_REGION", "eu-west-1", "SENTX_UPSTREAM_IDLE_TIMEOUT_MS", "3000"));
        assertEquals("eu-west-1", c.region());
        assertEquals("us.anthropic.claude-3-5-haiku-v1:0", c.modelId());
        assertNull(c.endpoint());
        assertNull(c.credentials(), "the SDK's default chain");
        assertEquals(Duration.ofMillis(3000), c.idleTimeout());
        assertEquals("us-east-2", UpstreamEnv.bedrock(Map.of("SENTX_BEDROCK_MODEL_ID", "m",
                "SENTX_BEDROCK_REGION", "us-east-2", "AWS_REGION", "eu-west-1")).region());
        assertEquals("http://127.0.0.1:4566", UpstreamEnv.bedrock(Map.of("SENTX_BEDROCK_MODEL_ID", "m",
                "SENTX_BEDROCK_REGION", "us-east-2", "SENTX_BEDROCK_ENDPOINT", "http://127.0.0.1:4566")).endpoint().toString());
    }

    @Test
    void bedrockWithoutARegion_orTogetherWithAnUpstreamUrl_isRefused() {
        IllegalArgumentException noRegion = assertThrows(IllegalArgumentException.class,
                () -> UpstreamEnv.bedrock(Map.of("SENTX_BEDROCK_MODEL_ID", "m")));
        assertTrue(noRegion.getMessage().startsWith("SENTX_BEDROCK_REGION"), noRegion.getMessage());
        IllegalArgumentException both = assertThrows(IllegalArgumentException.class, () -> UpstreamEnv.bedrock(
                Map.of("SENTX_BEDROCK_MODEL_ID", "m", "AWS_REGION", "us-east-1", "SENTX_UPSTREAM_URL", "http://h/v1")));
        assertTrue(both.getMessage().contains("choose one"), both.getMessage());
        assertThrows(IllegalArgumentException.class, () -> UpstreamEnv.bedrock(Map.of("SENTX_BEDROCK_MODEL_ID", "m",
                "AWS_REGION", "us-east-1", "SENTX_BEDROCK_ENDPOINT", "not a url")));
    }

    private static void assertMessage(String name, Map<String, String> env) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> UpstreamEnv.read(env));
        assertTrue(e.getMessage().startsWith(name), e.getMessage());
    }
}
