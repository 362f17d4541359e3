package ai.sentx.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sentx.payments.StripeSettings;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code SENTX_STRIPE_*} and {@code SENTX_TOPUP_*} variables, read by {@link LocalConfig}. */
class TopUpConfigTest {
    private static final String KEY = "sk_test_config_0123456789abcdefghijklmn";

    @Test
    void readsNoStripe_whenNothingIsSet() {
        LocalConfig.TopUpConfig topUps = LocalConfig.from(Map.of()).topUps();

        assertNull(topUps.stripe().secretKey());
        assertEquals(List.of(), topUps.stripe().webhookSecrets());
        assertEquals(StripeSettings.DEFAULT_API_BASE, topUps.stripe().apiBase());
        assertEquals(Duration.ofMinutes(15), topUps.reconcileEvery());
    }

    @Test
    void readsTheKey_severalWebhookSecrets_theApiBase_andTheUrls() {
        LocalConfig.TopUpConfig topUps = LocalConfig.from(env(
                "SENTX_STRIPE_SECRET_KEY", KEY,
                "SENTX_STRIPE_WEBHOOK_SECRET", "whsec_new, whsec_old",
                "SENTX_STRIPE_API_BASE", "http://127.0.0.1:12111",
                "SENTX_TOPUP_SUCCESS_URL", "https://sentx.example/ok?s={CHECKOUT_SESSION_ID}",
                "SENTX_TOPUP_CANCEL_URL", "https://sentx.example/cancel",
                "SENTX_STRIPE_RECONCILE_SECONDS", "60")).topUps();

        assertEquals(KEY, topUps.stripe().secretKey());
        assertEquals(List.of("whsec_new", "whsec_old"), topUps.stripe().webhookSecrets());
        assertEquals("http://127.0.0.1:12111", topUps.stripe().apiBase());
        assertEquals("https://sentx.example/ok?s={CHECKOUT_SESSION_ID}", topUps.stripe().successUrl());
        assertEquals(Duration.ofMinutes(1), topUps.reconcileEvery());
    }

    @Test
    void refusesAKeyWithoutReturnUrls_namingTheVariablesNotTheKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LocalConfig.from(env("SENTX_STRIPE_SECRET_KEY", KEY)));

        assertTrue(e.getMessage().contains("SENTX_TOPUP_SUCCESS_URL"), e.getMessage());
        assertFalse(e.getMessage().contains(KEY));
    }

    @Test
    void refusesUrlsThatAreNotHttp() {
        assertThrows(IllegalArgumentException.class, () -> LocalConfig.from(env("SENTX_STRIPE_API_BASE", "api.stripe.com")));
        assertThrows(IllegalArgumentException.class, () -> LocalConfig.from(env("SENTX_STRIPE_SECRET_KEY", KEY,
                "SENTX_TOPUP_SUCCESS_URL", "javascript:alert(1)", "SENTX_TOPUP_CANCEL_URL", "https://x.example/")));
    }

    @Test
    void printsNoStripeSecret_inTheConfigurationOrTheBanner() {
        LocalConfig config = LocalConfig.from(env("SENTX_PORT", "0", "SENTX_STRIPE_SECRET_KEY", KEY,
                "SENTX_STRIPE_WEBHOOK_SECRET", "whsec_banner_secret", "SENTX_TOPUP_SUCCESS_URL", "https://x.example/ok",
                "SENTX_TOPUP_CANCEL_URL", "https://x.example/cancel"));

        String banner = Main.topUps(config, "http://127.0.0.1:8080");

        for (String text : List.of(config.toString(), banner)) {
            assertFalse(text.contains(KEY), text);
            assertFalse(text.contains("whsec_banner_secret"), text);
        }
        assertTrue(banner.contains("/webhooks/stripe"), banner);
    }

    private static Map<String, String> env(String... pairs) {
        Map<String, String> env = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) env.put(pairs[i], pairs[i + 1]);
        return env;
    }
}
