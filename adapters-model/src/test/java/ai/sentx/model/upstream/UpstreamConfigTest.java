package ai.sentx.model.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class UpstreamConfigTest {
    @Test
    void theEndpointIsTheBaseUrlPlusChatCompletions_withOrWithoutATrailingSlash() {
        assertEquals(URI.create("http://h:8000/v1/chat/completions"),
                UpstreamConfig.of(URI.create("http://h:8000/v1"), null, "m").endpoint());
        assertEquals(URI.create("https://api.example.com/v1/chat/completions"),
                UpstreamConfig.of(URI.create("https://api.example.com/v1/"), null, "m").endpoint());
    }

    @Test
    void neitherToStringNorTheDisplayUrl_showTheKeyOrCredentialsInTheUrl() {
        UpstreamConfig c = UpstreamConfig.of(URI.create("https://user:pass@api.example.com:8443/v1?key=q"),
                "sk-the-real-key", "gpt-4o-mini");
        assertEquals("https://api.example.com:8443/v1", c.displayUrl());
        for (String leak : new String[] {"sk-the-real-key", "pass", "key=q"}) {
            assertFalse(c.toString().contains(leak), c.toString());
        }
        assertTrue(c.toString().contains("apiKey=(set)"), c.toString());
    }

    @Test
    void refusesWhatCannotWork() {
        assertThrows(IllegalArgumentException.class, () -> UpstreamConfig.of(URI.create("ftp://h/v1"), null, "m"));
        assertThrows(IllegalArgumentException.class, () -> UpstreamConfig.of(URI.create("/v1"), null, "m"));
        assertThrows(IllegalArgumentException.class, () -> UpstreamConfig.of(URI.create("http://h/v1"), null, " "));
        assertThrows(IllegalArgumentException.class, () -> UpstreamConfig.of(URI.create("http://h/v1"), null, "m")
                .withTimeouts(Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(1)));
    }

    @Test
    void theTokenLimitFieldIsParsedByItsWireName() {
        assertEquals(UpstreamConfig.TokenLimitField.MAX_TOKENS, UpstreamConfig.TokenLimitField.parse("max_tokens"));
        assertEquals(UpstreamConfig.TokenLimitField.BOTH, UpstreamConfig.TokenLimitField.parse(" Both "));
        assertEquals(UpstreamConfig.TokenLimitField.MAX_COMPLETION_TOKENS,
                UpstreamConfig.TokenLimitField.parse("max_completion_tokens"));
        assertThrows(IllegalArgumentException.class, () -> UpstreamConfig.TokenLimitField.parse("tokens"));
    }
}
