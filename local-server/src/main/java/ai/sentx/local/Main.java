package ai.sentx.local;

import ai.sentx.model.upstream.UpstreamConfig;
import java.io.PrintStream;
import java.util.Locale;

/** {@code ./sentx serve}: reads {@code SENTX_*}, starts the local server and prints how to use it. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        long started = System.nanoTime();
        LocalConfig config;
        try {
            config = LocalConfig.from(System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("sentx: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (config.dynamoDb() != null && System.getenv("SENTX_KEY_HASH_SECRET") == null) {
            System.err.println("sentx: warning: SENTX_KEY_HASH_SECRET is not set, so a random one is used; API keys and "
                    + "sessions stored in DynamoDB will stop working after a restart. Set it to 32+ random bytes.");
        }
        LocalServer server;
        try {
            server = LocalServer.start(config);
        } catch (java.net.BindException e) {
            System.err.println("sentx: cannot listen on " + config.host() + ":" + config.port()
                    + " (in use?). Set SENTX_PORT to another port.");
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        banner(System.out, server, config, (System.nanoTime() - started) / 1_000_000);
    }

    static void banner(PrintStream out, LocalServer server, LocalConfig config, long startMillis) {
        String origin = server.origin();
        String key = server.demoApiKey();
        if (key == null) {
            // A shared deployment (SENTX_DEMO_ACCOUNT=false): no key or token exists to print.
            out.printf(Locale.ROOT, """
                    SentX server is up (%d ms) on %s (no demo account)

                      API base URL     %s/v1
                      Model backend    %s
                      Store            %s
                      Files            %s
                    """, startMillis, origin, origin, backend(config), LocalStore.describe(config),
                    LocalFiles.describe(config.files()));
            out.flush();
            return;
        }
        out.printf(Locale.ROOT, """
                SentX local server is up (%d ms) on %s

                  Dashboard        %s/dashboard/   (sign in with the session token below)
                  API base URL     %s/v1
                  Health           %s/health
                  Demo API key     %s
                  Demo balance     $%d.%02d (%d cents)
                  Session token    %s   (for /account, as Authorization: Bearer ...)
                  Limits           %d requests/min per key, %d concurrent streams per key
                  Model backend    %s
                  Top-ups          %s
                  Store            %s
                  Files            %s

                Try it:
                  curl %s/v1/chat/completions \\
                    -H "Authorization: Bearer %s" \\
                    -H "Content-Type: application/json" \\
                    -d '{"model": "sentx-v1", "messages": [{"role": "user", "content": "What is the capital of France?"}]}'

                  export OPENAI_BASE_URL=%s/v1 OPENAI_API_KEY=%s   # for the OpenAI SDKs

                Press Ctrl+C to stop.
                """,
                startMillis, origin, origin, origin, origin, key,
                config.demoBalanceCents() / 100, config.demoBalanceCents() % 100, config.demoBalanceCents(),
                server.demoSessionToken(), config.limits().requestsPerMinute(), config.limits().streamsPerKey(),
                backend(config), topUps(config, origin), LocalStore.describe(config),
                LocalFiles.describe(config.files()), origin, key, origin, key);
        out.flush();
    }

    /** Whether Stripe top-ups and webhooks work; names variables, never a key or a secret. */
    static String topUps(LocalConfig config, String origin) {
        boolean key = config.topUps().stripe().hasSecretKey();
        boolean webhooks = !config.topUps().stripe().webhookSecrets().isEmpty();
        return (key ? "Stripe Checkout (" + config.topUps().stripe().apiBase() + ")"
                : "off (set SENTX_STRIPE_SECRET_KEY)")
                + (webhooks ? ", webhooks at " + origin + "/webhooks/stripe"
                : ", webhooks off (set SENTX_STRIPE_WEBHOOK_SECRET)");
    }

    /** Which model serves the chats; never the upstream's key, nor credentials in its URL. */
    static String backend(LocalConfig config) {
        UpstreamConfig upstream = config.upstream();
        if (upstream != null) {
            return "OpenAI-compatible upstream " + upstream.displayUrl() + ", model " + upstream.model();
        }
        if (config.bedrock() != null) {
            return "Amazon Bedrock " + config.bedrock().modelId() + " in " + config.bedrock().region();
        }
        return "built-in (deterministic, exact o200k_base counts)";
    }
}
