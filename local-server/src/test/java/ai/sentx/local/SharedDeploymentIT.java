package ai.sentx.local;

import static ai.sentx.local.Api.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * {@code SENTX_DEMO_ACCOUNT=false}, as the Fargate upload service runs: no demo account, no key or
 * session token to print or to use.
 */
class SharedDeploymentIT {
    @Test
    void withoutADemoAccount_noKeyExists_andTheBannerPrintsNoSecret() {
        String key = TestServers.newKey();
        try (LocalServer server = TestServers.start("SENTX_DEMO_ACCOUNT", "false", "SENTX_DEMO_API_KEY", key,
                "SENTX_DEMO_SESSION_TOKEN", "sess_shouldNeverBeRegistered_0123456789")) {
            assertNull(server.demoApiKey());
            assertNull(server.demoSessionToken());
            Api api = new Api(server.origin(), key, "sess_shouldNeverBeRegistered_0123456789");
            assertError(api.get("/v1/models", key), 401, "invalid_api_key", Api.ANY);
            assertEquals(401, api.account("GET", "/account/balance", null).status());

            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Main.banner(new PrintStream(out, true, StandardCharsets.UTF_8), server, LocalConfig.from(java.util.Map.of(
                    "SENTX_DEMO_ACCOUNT", "false")), 1);
            String banner = out.toString(StandardCharsets.UTF_8);
            assertFalse(banner.contains("sk-"), banner);
            assertFalse(banner.contains("sess_"), banner);
        }
    }
}
