package ai.sentx.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sentx.http.HttpRequest;
import ai.sentx.lambda.runtime.BufferedSink;
import ai.sentx.payments.StripeEvents;
import ai.sentx.persistence.dynamodb.FakeDynamoDbServer;
import ai.sentx.persistence.dynamodb.TableDefinitions;
import ai.sentx.persistence.dynamodb.TableNames;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The AWS composition root reads its secrets from Secrets Manager, through the real SDK client,
 * against a local endpoint that speaks the service's JSON protocol (GetSecretValue): the Stripe
 * webhook secret it returns is the one webhooks are verified with; each secret is read once; a
 * missing or malformed secret stops the wiring with a message that names the secret, never a value.
 */
class SecretsManagerWiringIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY_HASH_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:sentx-keyhash-AbCdEf";
    private static final String STRIPE_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:sentx-stripe-GhIjKl";
    private static final String WEBHOOK_SECRET = "whsec_fromSecretsManager_0123456789";
    private static final TableNames TABLES = FakeDynamoDbServer.freshTables("secrets");

    private static final Map<String, String> SECRETS = new ConcurrentHashMap<>();
    private static final Map<String, AtomicInteger> READS = new ConcurrentHashMap<>();
    private static HttpServer secretsManager;

    @BeforeAll
    static void start() throws IOException {
        TableDefinitions.createMissing(FakeDynamoDbServer.newClient(), TABLES);
        secretsManager = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        secretsManager.createContext("/", exchange -> {
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            JsonNode body = JSON.readTree(exchange.getRequestBody());
            String id = body.path("SecretId").asText();
            byte[] answer;
            int status;
            if (!"secretsmanager.GetSecretValue".equals(target)) {
                status = 400;
                answer = "{\"__type\":\"InvalidAction\",\"message\":\"unexpected action\"}".getBytes(StandardCharsets.UTF_8);
            } else if (SECRETS.containsKey(id)) {
                READS.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
                status = 200;
                answer = JSON.writeValueAsBytes(Map.of("ARN", id, "Name", id, "VersionId", "v1",
                        "SecretString", SECRETS.get(id), "CreatedDate", 1.7e9));
            } else {
                status = 400;
                answer = ("{\"__type\":\"ResourceNotFoundException\",\"message\":\"Secrets Manager can't find the "
                        + "specified secret.\"}").getBytes(StandardCharsets.UTF_8);
            }
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
            exchange.sendResponseHeaders(status, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        secretsManager.start();
    }

    @AfterAll
    static void stop() {
        if (secretsManager != null) secretsManager.stop(0);
    }

    private static Map<String, String> environment() {
        Map<String, String> env = new HashMap<>();
        env.put("AWS_REGION", "eu-west-1");
        env.put("SENTX_DYNAMODB_ENDPOINT", FakeDynamoDbServer.endpoint().toString());
        env.put("SENTX_DYNAMODB_TABLE_PREFIX", TABLES.prefix());
        env.put("SENTX_FILES_BUCKET", "sentx-files-test");
        env.put("SENTX_KEY_HASH_SECRET_ARN", KEY_HASH_ARN);
        env.put("SENTX_STRIPE_SECRET_ARN", STRIPE_ARN);
        env.put("SENTX_TOPUP_SUCCESS_URL", "https://sentx.example/billing/return?session={CHECKOUT_SESSION_ID}");
        env.put("SENTX_TOPUP_CANCEL_URL", "https://sentx.example/billing");
        env.put("SENTX_SECRETS_ENDPOINT", "http://127.0.0.1:" + secretsManager.getAddress().getPort());
        return env;
    }

    private static AwsApplication wire(Map<String, String> env) {
        return AwsApplication.start(ApiConfig.from(env),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")), Clock.systemUTC());
    }

    @Test
    void webhooksAreVerifiedWithTheSecretFromSecretsManager_readOncePerEnvironment() throws IOException {
        SECRETS.put(KEY_HASH_ARN, "k".repeat(48));
        SECRETS.put(STRIPE_ARN, "{\"secretKey\":\"sk_test_fromSecretsManager\",\"webhookSecret\":\"" + WEBHOOK_SECRET + "\"}");
        READS.clear();
        try (AwsApplication app = wire(environment())) {
            byte[] event = StripeEvents.checkoutCompleted("evt_sm_1", "cs_sm_1", "acct_sm", 500, "pi_sm_1");
            long now = Instant.now().getEpochSecond();
            assertEquals(200, webhook(app, event, StripeEvents.signature(event, WEBHOOK_SECRET, now)).status());
            BufferedSink wrong = webhook(app, event, StripeEvents.signature(event, "whsec_somethingElse", now));
            assertEquals(400, wrong.status());
            String body = new String(wrong.body(), StandardCharsets.UTF_8);
            assertFalse(body.contains(WEBHOOK_SECRET), body);
        }
        assertEquals(1, READS.get(KEY_HASH_ARN).get());
        assertEquals(1, READS.get(STRIPE_ARN).get());
    }

    @Test
    void aMissingSecret_stopsTheWiring_namingTheSecretNotAValue() {
        SECRETS.put(KEY_HASH_ARN, "k".repeat(48));
        SECRETS.remove(STRIPE_ARN);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> wire(environment()));
        assertTrue(e.getMessage().contains(STRIPE_ARN), e.getMessage());
    }

    @Test
    void aMalformedOrShortSecret_stopsTheWiring_withoutItsValueInTheMessage() {
        SECRETS.put(KEY_HASH_ARN, "k".repeat(48));
        SECRETS.put(STRIPE_ARN, "whsec_notJson_butSecret");
        IllegalArgumentException malformed = assertThrows(IllegalArgumentException.class, () -> wire(environment()));
        assertTrue(malformed.getMessage().contains(STRIPE_ARN), malformed.getMessage());
        assertFalse(malformed.getMessage().contains("whsec_notJson_butSecret"), malformed.getMessage());

        SECRETS.put(KEY_HASH_ARN, "tooShortButSecret");
        IllegalArgumentException shortKey = assertThrows(IllegalArgumentException.class, () -> wire(environment()));
        assertTrue(shortKey.getMessage().contains(KEY_HASH_ARN), shortKey.getMessage());
        assertFalse(shortKey.getMessage().contains("tooShortButSecret"), shortKey.getMessage());
    }

    private static BufferedSink webhook(AwsApplication app, byte[] body, String signature) {
        BufferedSink sink = new BufferedSink();
        app.api().handle(new HttpRequest("POST", "/webhooks/stripe", null, Map.of(
                "content-type", List.of("application/json"), "stripe-signature", List.of(signature)),
                new ByteArrayInputStream(body), body.length), sink);
        return sink;
    }
}
