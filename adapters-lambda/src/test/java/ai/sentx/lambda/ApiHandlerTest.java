package ai.sentx.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sentx.application.Services;
import ai.sentx.content.DocumentReaders;
import ai.sentx.content.EicarScanner;
import ai.sentx.content.TikaFormatDetector;
import ai.sentx.domain.Account;
import ai.sentx.domain.AccountId;
import ai.sentx.domain.KeyHasher;
import ai.sentx.http.HttpApi;
import ai.sentx.lambda.runtime.FunctionUrlRequest;
import ai.sentx.model.builtin.BuiltInBackend;
import ai.sentx.payments.StripePayments;
import ai.sentx.payments.StripeSettings;
import ai.sentx.persistence.memory.InMemoryAccounts;
import ai.sentx.persistence.memory.InMemoryApiKeys;
import ai.sentx.persistence.memory.InMemoryFileCatalog;
import ai.sentx.persistence.memory.InMemoryLedger;
import ai.sentx.persistence.memory.InMemoryPaymentEvents;
import ai.sentx.persistence.memory.InMemoryRateLimits;
import ai.sentx.persistence.memory.InMemorySessions;
import ai.sentx.persistence.memory.InMemoryUsageRecords;
import ai.sentx.storage.DiskBlobStore;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The buffered handler of the managed runtime on recorded function-URL events (under
 * {@code events/}), deserialised by the managed runtime's own serializer, with the real use cases
 * on in-memory adapters.
 */
class ApiHandlerTest {
    private static final String SECRET = "api-handler-test-hash-secret-0123456789abcdef";
    private static final String SESSION = "sess_apiHandlerTestSessionToken0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path blobs;
    private ApiHandler handler;
    private int wirings;

    @BeforeEach
    void wire() {
        Clock clock = Clock.systemUTC();
        KeyHasher hasher = new KeyHasher(SECRET.getBytes(StandardCharsets.UTF_8));
        InMemoryAccounts accounts = new InMemoryAccounts();
        AccountId account = new AccountId("acct_handler");
        accounts.createIfAbsent(new Account(account, "handler", clock.instant()));
        InMemorySessions sessions = new InMemorySessions(hasher);
        sessions.register(SESSION, account);
        ApiConfig config = ApiConfig.from(Map.of("SENTX_DYNAMODB_TABLE_PREFIX", "t-", "AWS_REGION", "us-east-1",
                "SENTX_KEY_HASH_SECRET", SECRET, "SENTX_FILES_BUCKET", "b"));
        HttpApi api = AwsApplication.httpApi(new Services.Ports(accounts, new InMemoryLedger(), new InMemoryApiKeys(),
                new InMemoryRateLimits(clock), new InMemoryUsageRecords(), sessions, new InMemoryPaymentEvents(),
                new StripePayments(new StripeSettings(null, List.of(), StripeSettings.DEFAULT_API_BASE, null, null), clock),
                new BuiltInBackend(64, Duration.ZERO), new InMemoryFileCatalog(), new DiskBlobStore(blobs),
                new TikaFormatDetector(), new EicarScanner(), new DocumentReaders()), hasher, config, clock);
        handler = new ApiHandler(() -> {
            wirings++;
            return api;
        });
    }

    @Test
    void aBase64Body_isDecodedBeforeTheRoute_andTheAnswerIsTextJson() throws IOException {
        APIGatewayV2HTTPResponse response = handler.handleRequest(event("url-account-keys-post-base64.json"), new TestContext());

        assertEquals(201, response.getStatusCode(), response.getBody());
        assertFalse(response.getIsBase64Encoded());
        assertEquals("application/json", response.getHeaders().get("content-type"));
        JsonNode key = JSON.readTree(response.getBody());
        assertEquals("ci key", key.get("name").asText());
        assertTrue(key.get("key").asText().startsWith("sk-"));
    }

    @Test
    void theEventsCookies_reachTheRoute_asTheDashboardsSessionCookie() throws IOException {
        APIGatewayV2HTTPEvent event = event("url-account-keys-cookie.json");

        APIGatewayV2HTTPResponse response = handler.handleRequest(event, new TestContext());

        // Function URLs move cookies out of the headers into cookies[]; the runtime joins them back.
        assertEquals("theme=dark; sentx_session=" + SESSION, FunctionUrlRequest.of("GET", "/", null, event.getHeaders(),
                event.getCookies(), null, false).toHttpRequest().header("cookie"));
        assertEquals(200, response.getStatusCode(), response.getBody());
        assertTrue(JSON.readTree(response.getBody()).has("data"), response.getBody());
    }

    @Test
    void anEventWithoutHeadersOrBody_isServed() throws IOException {
        APIGatewayV2HTTPResponse response = handler.handleRequest(event("url-no-headers.json"), new TestContext());

        assertEquals(401, response.getStatusCode());
        assertEquals("application/json", response.getHeaders().get("content-type"));
        assertNull(response.getCookies());
    }

    @Test
    void theWiringIsBuiltOnce_onTheFirstInvocation() throws IOException {
        assertEquals(0, wirings, "nothing is wired (no secret read) before the first invocation");
        for (int i = 0; i < 3; i++) {
            APIGatewayV2HTTPResponse response = handler.handleRequest(event("url-health-get.json"), new TestContext());
            assertEquals(200, response.getStatusCode());
            assertNotNull(response.getHeaders().get("x-request-id"));
        }
        assertEquals(1, wirings);
    }

    static APIGatewayV2HTTPEvent event(String name) throws IOException {
        String json;
        try (InputStream in = ApiHandlerTest.class.getResourceAsStream("/events/" + name)) {
            json = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("SESSION_TOKEN", SESSION);
        }
        return LambdaEventSerializers.serializerFor(APIGatewayV2HTTPEvent.class, ApiHandlerTest.class.getClassLoader())
                .fromJson(json);
    }
}
