package ai.sentx.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sentx.model.upstream.UpstreamConfig;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UpstreamEnvTest {
    @Test
    void withoutAnUpstreamUrl_theBuiltInModelServes() {
        assertNull(UpstreamEnv.read(Map.of()));
        assertNull(UpstreamEnv.read(Map.of("SENTX_UPSTREAM_URL", "  ", "SENTX_UPSTREAM_API_KEY", "sk-x")));
        assertTrue(Main.backend(LocalConfig.from(Map.of())).startsWith("built-in"));
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

    private static void assertMessage(String name, Map<String, String> env) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> UpstreamEnv.read(env));
        assertTrue(e.getMessage().startsWith(name), e.getMessage());
    }
}
