package ai.sentx.lambda;

import ai.sentx.application.SecureRandomIds;
import ai.sentx.application.Services;
import ai.sentx.content.ClamdScanner;
import ai.sentx.content.DocumentReaders;
import ai.sentx.content.EicarScanner;
import ai.sentx.content.TikaFormatDetector;
import ai.sentx.domain.KeyHasher;
import ai.sentx.http.DashboardSettings;
import ai.sentx.http.HttpApi;
import ai.sentx.identity.CognitoSessions;
import ai.sentx.identity.CognitoSettings;
import ai.sentx.model.builtin.BuiltInBackend;
import ai.sentx.model.upstream.BedrockBackend;
import ai.sentx.model.upstream.OpenAiCompatibleBackend;
import ai.sentx.payments.StripePayments;
import ai.sentx.payments.StripeSettings;
import ai.sentx.persistence.dynamodb.DynamoDbStore;
import ai.sentx.persistence.dynamodb.TableNames;
import ai.sentx.port.IdSource;
import ai.sentx.port.MalwareScanner;
import ai.sentx.port.ModelBackend;
import ai.sentx.port.Sessions;
import ai.sentx.storage.S3BlobStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClientBuilder;

/**
 * The AWS composition root of the API: the DynamoDB store, the secrets from Secrets Manager, the
 * model backend and Stripe, wired into the one {@link HttpApi} that the streaming runtime and the
 * buffered handlers serve. Built once per execution environment.
 */
public final class AwsApplication implements AutoCloseable {
    /** How far back top-up reconciliation lists paid sessions (the local server's default). */
    private static final Duration TOP_UP_LOOK_BACK = Duration.ofDays(7);
    private final HttpApi api;
    private final DynamoDbClient dynamoDb;
    private final ModelBackend backend;

    private AwsApplication(HttpApi api, DynamoDbClient dynamoDb, ModelBackend backend) {
        this.api = api;
        this.dynamoDb = dynamoDb;
        this.backend = backend;
    }

    /** Wires the API from this execution environment's variables, with the function's own credentials. */
    public static AwsApplication fromEnvironment() {
        return start(ApiConfig.from(System.getenv()), DefaultCredentialsProvider.builder().build(), Clock.systemUTC());
    }

    /**
     * Wires the API.
     *
     * @param credentials signs the DynamoDB and Secrets Manager calls
     * @throws IllegalArgumentException if a secret is missing or malformed (the message names it, never its value)
     * @throws IllegalStateException    if Secrets Manager cannot be read
     */
    public static AwsApplication start(ApiConfig config, AwsCredentialsProvider credentials, Clock clock) {
        Objects.requireNonNull(config, "config");
        Secrets secrets = readSecrets(config, credentials);
        DynamoDbClient dynamoDb = AwsWiring.dynamoDb(config.aws(), credentials);
        ModelBackend backend = null;
        try {
            long maxOutput = config.limits().maxOutputTokens();
            backend = config.upstream() != null ? new OpenAiCompatibleBackend(config.upstream(), maxOutput)
                    : config.bedrock() != null ? new BedrockBackend(config.bedrock(), maxOutput)
                    : new BuiltInBackend(maxOutput, config.tokenDelay());
            KeyHasher hasher = new KeyHasher(secrets.keyHashSecret());
            DynamoDbStore store = new DynamoDbStore(dynamoDb, new TableNames(config.aws().tablePrefix()), hasher, clock,
                    config.aws().sweepLookback());
            StripePayments payments = new StripePayments(new StripeSettings(secrets.stripeSecretKey(),
                    secrets.webhookSecrets(), config.stripeApiBase(), config.topUpSuccessUrl(), config.topUpCancelUrl()),
                    clock);
            ApiConfig.Files files = config.files();
            S3BlobStore blobs = S3BlobStore.create(files.bucket(), files.region(), files.endpoint());
            MalwareScanner scanner = files.clamdHost() != null ? new ClamdScanner(files.clamdHost(), files.clamdPort())
                    : new EicarScanner();
            Sessions sessions = store.sessions();
            if (config.dashboard().cognito()) {
                // Cognito ID/access tokens first (the dashboard's sign-in), then stored session tokens.
                CognitoSessions cognito = new CognitoSessions(CognitoSettings.forUserPool(config.aws().region(),
                        config.dashboard().userPoolId(), config.dashboard().clientId()), store.accounts(), clock);
                Sessions stored = store.sessions();
                sessions = token -> {
                    var account = cognito.authenticate(token);
                    return account.isPresent() ? account : stored.authenticate(token);
                };
            }
            HttpApi api = httpApi(new Services.Ports(store.accounts(), store.ledger(), store.apiKeys(), store.rateLimits(),
                    store.usageRecords(), sessions, store.paymentEvents(), payments, backend, store.files(), blobs,
                    new TikaFormatDetector(), scanner, new DocumentReaders()), hasher, config, clock);
            return new AwsApplication(api, dynamoDb, backend);
        } catch (RuntimeException e) {
            closeBackend(backend);
            dynamoDb.close();
            throw e;
        }
    }

    /** Every use case over {@code ports}, behind the HTTP API, with the settings of {@code config}. */
    static HttpApi httpApi(Services.Ports ports, KeyHasher hasher, ApiConfig config, Clock clock) {
        IdSource ids = new SecureRandomIds();
        Services services = Services.of(ports, new Services.Settings(config.limits(), hasher, config.safetyInstructions(),
                config.keepAliveEvery(), TOP_UP_LOOK_BACK), ids, clock);
        ApiConfig.Dashboard dashboard = config.dashboard();
        return new HttpApi(services, ids, clock, dashboard.cognito()
                ? DashboardSettings.cognito(dashboard.hostedUi(), dashboard.clientId(), dashboard.allowedOrigins())
                : DashboardSettings.local());
    }

    /** The whole HTTP API. */
    public HttpApi api() {
        return api;
    }

    @Override
    public void close() {
        closeBackend(backend);
        dynamoDb.close();
    }

    private static Secrets readSecrets(ApiConfig config, AwsCredentialsProvider credentials) {
        ApiConfig.SecretSources sources = config.secrets();
        if (sources.keyHashSecretArn() == null && sources.stripeSecretArn() == null) {
            return Secrets.resolve(sources, arn -> {
                throw new IllegalStateException("no secret ARN is configured");
            });
        }
        SecretsManagerClientBuilder builder = SecretsManagerClient.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .region(Region.of(config.aws().region()))
                .credentialsProvider(credentials);
        if (sources.endpoint() != null) builder.endpointOverride(sources.endpoint());
        try (SecretsManagerClient client = builder.build()) {
            return Secrets.resolve(sources, arn -> {
                try {
                    return client.getSecretValue(b -> b.secretId(arn)).secretString();
                } catch (SdkException e) {
                    // The SDK's message names the secret and the cause, never the value.
                    throw new IllegalStateException("cannot read the secret " + arn + " from Secrets Manager ("
                            + e.getClass().getSimpleName() + ")");
                }
            });
        }
    }

    private static void closeBackend(ModelBackend backend) {
        if (backend instanceof OpenAiCompatibleBackend upstream) upstream.close();
        if (backend instanceof BedrockBackend bedrock) bedrock.close();
    }
}
