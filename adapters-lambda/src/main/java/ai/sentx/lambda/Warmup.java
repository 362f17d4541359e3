package ai.sentx.lambda;

import ai.sentx.application.Services;
import ai.sentx.content.DocumentReaders;
import ai.sentx.content.EicarScanner;
import ai.sentx.content.TikaFormatDetector;
import ai.sentx.domain.Account;
import ai.sentx.domain.AccountId;
import ai.sentx.domain.ApiKeyRecord;
import ai.sentx.domain.KeyHasher;
import ai.sentx.domain.KeyId;
import ai.sentx.domain.LedgerEntry;
import ai.sentx.http.HttpApi;
import ai.sentx.lambda.runtime.BufferedSink;
import ai.sentx.lambda.runtime.FunctionUrlRequest;
import ai.sentx.lambda.runtime.IntegrationResponse;
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
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Runs the code paths of a typical invocation once, in memory, so that their classes are loaded:
 * at build time to record the class-data-sharing archive of the streaming function's runtime
 * ({@code main}, run by the packaging step with {@code -XX:ArchiveClassesAtExit}), and in the
 * buffered handlers' constructors so that a SnapStart snapshot holds them loaded. It touches no
 * network but a refused loopback port, and no secret.
 */
public final class Warmup {
    private static final String KEY = "sk-warmupWarmupWarmupWarmupWarmupWarmup0123";
    private static final String EVENT_JSON = """
            {"version":"2.0","routeKey":"$default","rawPath":"/v1/chat/completions","rawQueryString":"",
             "headers":{"authorization":"Bearer %s","content-type":"application/json"},"cookies":["a=b"],
             "requestContext":{"http":{"method":"POST","path":"/v1/chat/completions"}},
             "body":"%s","isBase64Encoded":true}""";

    private Warmup() {
    }

    /**
     * The packaging step's training run.
     *
     * @param args {@code [marker]}: a file to write when the run completed (the build checks it)
     */
    public static void main(String[] args) throws IOException {
        run(true);
        if (args.length > 0) Files.writeString(Path.of(args[0]), "ok\n");
    }

    /**
     * Serves a health check, a refused call, a streamed and a whole chat completion through the
     * event mapping and {@link HttpApi}, in memory.
     *
     * @param sdk also build a DynamoDB client and make one call to a refused port (loads the SDK's
     *            request path)
     */
    public static void run(boolean sdk) {
        Clock clock = Clock.systemUTC();
        KeyHasher hasher = new KeyHasher("warmup-warmup-warmup-warmup-warmup-32".getBytes(StandardCharsets.UTF_8));
        InMemoryAccounts accounts = new InMemoryAccounts();
        InMemoryLedger ledger = new InMemoryLedger();
        InMemoryApiKeys keys = new InMemoryApiKeys();
        AccountId account = new AccountId("acct_warmup");
        accounts.createIfAbsent(new Account(account, "warmup", clock.instant()));
        ledger.post(new LedgerEntry("credit_warmup", account, LedgerEntry.Kind.CREDIT, 10_000, "warmup", clock.instant()));
        keys.create(new ApiKeyRecord(new KeyId("key_warmup"), account, "warmup", hasher.hash(KEY), "sk-...0123",
                clock.instant(), null, null), 25);
        ApiConfig config = ApiConfig.from(Map.of("SENTX_DYNAMODB_TABLE_PREFIX", "warmup-", "AWS_REGION", "us-east-1",
                "SENTX_KEY_HASH_SECRET", "warmup-warmup-warmup-warmup-warmup-32", "SENTX_FILES_BUCKET", "warmup"));
        Path blobs;
        try {
            blobs = Files.createTempDirectory("sentx-warmup-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        HttpApi api = AwsApplication.httpApi(new Services.Ports(accounts, ledger, keys, new InMemoryRateLimits(clock),
                new InMemoryUsageRecords(), new InMemorySessions(hasher), new InMemoryPaymentEvents(),
                new StripePayments(new StripeSettings(null, List.of(), StripeSettings.DEFAULT_API_BASE, null, null), clock),
                new BuiltInBackend(64, Duration.ZERO), new InMemoryFileCatalog(), new DiskBlobStore(blobs),
                new TikaFormatDetector(), new EicarScanner(), new DocumentReaders()), hasher, config, clock);
        ObjectMapper json = new ObjectMapper();
        for (String body : List.of(
                "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hello there\"}]}",
                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"Explain tides\"}]}")) {
            String event = EVENT_JSON.formatted(KEY, java.util.Base64.getEncoder().encodeToString(body.getBytes(StandardCharsets.UTF_8)));
            try {
                BufferedSink sink = new BufferedSink();
                api.handle(FunctionUrlRequest.fromJson(json.readTree(event)).toHttpRequest(), sink);
                IntegrationResponse.prelude(sink.status(), sink.headers());
                IntegrationResponse.buffered(sink.status(), sink.headers(), sink.body());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        for (String path : List.of("/health", "/v1/models", "/nowhere")) {
            BufferedSink sink = new BufferedSink();
            api.handle(FunctionUrlRequest.of("GET", path, null, Map.of(), List.of(), null, false).toHttpRequest(), sink);
            Objects.requireNonNull(sink.headers());
        }
        if (sdk) touchSdk(config);
    }

    private static void touchSdk(ApiConfig config) {
        AwsConfig refused = new AwsConfig("warmup-", "us-east-1", java.net.URI.create("http://127.0.0.1:9"),
                config.aws().sweepLookback());
        try (DynamoDbClient client = AwsWiring.dynamoDb(refused,
                StaticCredentialsProvider.create(AwsBasicCredentials.create("warmup", "warmup")))) {
            client.getItem(b -> b.tableName("warmup-accounts").key(Map.of("pk",
                    software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("x")))
                    .overrideConfiguration(o -> o.apiCallAttemptTimeout(Duration.ofSeconds(2))));
        } catch (SdkException expected) {
            // Nothing listens there: the point was to load the request path.
        }
    }
}
