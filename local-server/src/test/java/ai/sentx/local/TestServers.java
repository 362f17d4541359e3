package ai.sentx.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Starts in-process local servers for the integration tests. The defaults suit a server shared by
 * a whole test class: a large balance and a request limit high enough that the class's own
 * requests never reach it. Tests of limits and balances override them on a dedicated server.
 */
final class TestServers {
    private static final SecureRandom RANDOM = new SecureRandom();
    /**
     * More {@code SENTX_*} variables for each server, applied after the defaults and before the
     * overrides; asked again for every server. A suite that reruns these tests on another store
     * sets it for its duration (see {@link OnDynamoDb}).
     */
    static volatile Supplier<Map<String, String>> environment = Map::of;

    private TestServers() {
    }

    /**
     * Starts a server with the built-in model on a free port.
     *
     * @param overrides {@code SENTX_*} name/value pairs that replace the defaults
     */
    static LocalServer start(String... overrides) {
        if (overrides.length % 2 != 0) throw new IllegalArgumentException("overrides come in name/value pairs");
        Map<String, String> env = new HashMap<>();
        env.put("SENTX_PORT", "0");
        env.put("SENTX_DEMO_API_KEY", newKey());
        env.put("SENTX_DEMO_BALANCE_CENTS", "1000000");
        env.put("SENTX_REQUESTS_PER_MINUTE", "100000");
        env.putAll(environment.get());
        for (int i = 0; i < overrides.length; i += 2) env.put(overrides[i], overrides[i + 1]);
        try {
            return LocalServer.start(LocalConfig.from(env));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A well-formed key that no server knows unless it is given to one. */
    static String newKey() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return "sk-" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
