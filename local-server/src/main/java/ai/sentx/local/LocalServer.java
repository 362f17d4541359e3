package ai.sentx.local;

import ai.sentx.application.ReconcileTopUps;
import ai.sentx.application.SecureRandomIds;
import ai.sentx.application.Services;
import ai.sentx.application.SweepExpiredFiles;
import ai.sentx.application.SweepExpiredHolds;
import ai.sentx.content.DocumentReaders;
import ai.sentx.content.TikaFormatDetector;
import ai.sentx.domain.Account;
import ai.sentx.domain.AccountId;
import ai.sentx.domain.ApiKeyFormat;
import ai.sentx.domain.ApiKeyRecord;
import ai.sentx.domain.KeyHasher;
import ai.sentx.domain.KeyId;
import ai.sentx.domain.LedgerEntry;
import ai.sentx.http.HttpApi;
import ai.sentx.local.http1.Http1Server;
import ai.sentx.model.builtin.BuiltInBackend;
import ai.sentx.model.upstream.BedrockBackend;
import ai.sentx.model.upstream.OpenAiCompatibleBackend;
import ai.sentx.port.Accounts;
import ai.sentx.port.ApiKeys;
import ai.sentx.port.IdSource;
import ai.sentx.port.Ledger;
import ai.sentx.port.PaymentEvents;
import ai.sentx.port.RateLimits;
import ai.sentx.port.Sessions;
import ai.sentx.port.UsageRecords;
import ai.sentx.payments.StripePayments;
import ai.sentx.port.ModelBackend;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The composition root of the local server: the embedded in-memory store (or DynamoDB, see
 * {@link LocalStore}), the built-in model, the demo account, and the HTTP API on the own HTTP/1.1 server ({@link Http1Server}).
 * {@link #start} is also how tests run it.
 */
public final class LocalServer implements AutoCloseable {
    /** The demo account's id. */
    public static final AccountId DEMO_ACCOUNT = new AccountId("acct_demo");

    private final Http1Server transport;
    private final ScheduledExecutorService sweeper;
    /** Runs the top-up reconciliation; {@code null} without a Stripe secret key. */
    private final ScheduledExecutorService reconciler;
    private final String demoApiKey;
    private final String demoSessionToken;
    private final Ledger ledger;
    private final LocalConfig config;
    private final ModelBackend backend;
    /** In memory, or DynamoDB when configured. */
    private final LocalStore store;
    /** Uploaded files' bytes and scanner. */
    private final LocalFiles files;

    private LocalServer(LocalConfig config, ModelBackend backend, Clock clock) throws IOException {
        this.config = config;
        this.backend = backend;
        SecureRandom random = new SecureRandom();
        IdSource ids = new SecureRandomIds();
        KeyHasher hasher = new KeyHasher(config.keyHashSecret());
        this.store = LocalStore.open(config, hasher, clock);
        Accounts accounts = store.accounts();
        Ledger ledger = store.ledger();
        ApiKeys keys = store.apiKeys();
        RateLimits rateLimits = store.rateLimits();
        UsageRecords usage = store.usage();
        Sessions sessions = store.sessions();
        PaymentEvents paymentEvents = store.paymentEvents();
        StripePayments payments = new StripePayments(config.topUps().stripe(), clock);
        this.ledger = ledger;

        if (config.demoAccount()) {
            Instant now = clock.instant();
            accounts.createIfAbsent(new Account(DEMO_ACCOUNT, "Demo account", now));
            if (config.demoBalanceCents() > 0) {
                ledger.post(new LedgerEntry("credit_demo_initial", DEMO_ACCOUNT, LedgerEntry.Kind.CREDIT,
                        config.demoBalanceCents(), "demo balance", now));
            }
            this.demoApiKey = config.demoApiKey() != null ? config.demoApiKey() : ApiKeyFormat.newKey(random);
            LocalStore.storeDemoKey(keys, new ApiKeyRecord(new KeyId("key_demo"), DEMO_ACCOUNT, "Demo key",
                    hasher.hash(demoApiKey), ApiKeyFormat.hint(demoApiKey), now, null, null),
                    config.limits().maxActiveKeys(), ids);
            this.demoSessionToken = config.demoSessionToken() != null ? config.demoSessionToken()
                    : LocalConfig.newSessionToken(random);
            store.registerSession().accept(demoSessionToken, DEMO_ACCOUNT);
        } else {
            // A shared deployment (the Fargate upload service): no demo account, no key to print.
            this.demoApiKey = null;
            this.demoSessionToken = null;
        }

        this.files = LocalFiles.open(config.files());
        Services services = Services.of(
                new Services.Ports(accounts, ledger, keys, rateLimits, usage, sessions, paymentEvents, payments,
                        backend, store.files(), files.blobs(), new TikaFormatDetector(), files.scanner(),
                        new DocumentReaders()),
                new Services.Settings(config.limits(), hasher, config.safetyInstructions(), config.keepAliveEvery(),
                        config.topUps().lookBack()),
                ids, clock);
        HttpApi api = new HttpApi(services, ids, clock);
        this.transport = Http1Server.start(config.host(), config.port(), api::handle, clock,
                Http1Server.DEFAULT_IDLE_TIMEOUT);
        this.sweeper = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("sweeper").factory());
        SweepExpiredHolds holds = services.sweepExpiredHolds();
        SweepExpiredFiles expiredFiles = services.sweepExpiredFiles();
        sweeper.scheduleWithFixedDelay(() -> {
            // Each sweep on its own: one failing must neither stop the other nor cancel the schedule
            // (the executor drops a task that throws).
            sweepQuietly("hold", holds::sweep);
            sweepQuietly("file", expiredFiles::sweep);
        }, 1, 1, TimeUnit.MINUTES);
        this.reconciler = config.topUps().stripe().hasSecretKey()
                ? reconcileOnSchedule(services.reconcileTopUps(), config.topUps().reconcileEvery())
                : null;
    }

    private static void sweepQuietly(String what, Runnable sweep) {
        try {
            sweep.run();
        } catch (RuntimeException e) {
            System.getLogger(LocalServer.class.getName()).log(System.Logger.Level.WARNING,
                    what + " sweep failed (" + e.getClass().getSimpleName() + "); retrying in a minute");
        }
    }

    /**
     * Credits paid top-ups whose webhook never came, every {@code every} (first soon after start, to
     * catch up on what arrived while the server was down). A failed run is logged and retried on
     * the next one: the listing window overlaps, so nothing is missed.
     */
    private static ScheduledExecutorService reconcileOnSchedule(ReconcileTopUps reconcile, Duration every) {
        System.Logger log = System.getLogger(LocalServer.class.getName());
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(
                Thread.ofVirtual().name("topup-reconciler").factory());
        long everyMs = every.toMillis();
        executor.scheduleWithFixedDelay(() -> {
            try {
                ReconcileTopUps.Report report = reconcile.reconcile();
                if (report.credited() > 0 || report.failed() > 0) {
                    log.log(System.Logger.Level.WARNING, "top-up reconciliation credited " + report.credited()
                            + " paid session(s) whose webhook had not arrived; " + report.failed() + " failed");
                }
            } catch (RuntimeException e) {
                // A FailureException's message is written for callers: no key, no secret.
                log.log(System.Logger.Level.WARNING, "top-up reconciliation failed: " + e.getMessage());
            }
        }, Math.min(everyMs, 30_000), everyMs, TimeUnit.MILLISECONDS);
        return executor;
    }

    /**
     * Starts a server with the model {@code config} names: the OpenAI-compatible upstream, else the
     * Bedrock model, else the built-in model.
     */
    public static LocalServer start(LocalConfig config) throws IOException {
        long maxOutput = config.limits().maxOutputTokens();
        ModelBackend backend = config.upstream() != null ? new OpenAiCompatibleBackend(config.upstream(), maxOutput)
                : config.bedrock() != null ? new BedrockBackend(config.bedrock(), maxOutput)
                : new BuiltInBackend(maxOutput, config.tokenDelay());
        try {
            return start(config, backend, Clock.systemUTC());
        } catch (IOException | RuntimeException e) {
            closeBackend(backend);
            throw e;
        }
    }

    /** Closes the clients of a remote model backend. */
    private static void closeBackend(ModelBackend backend) {
        if (backend instanceof OpenAiCompatibleBackend upstream) upstream.close();
        if (backend instanceof BedrockBackend bedrock) bedrock.close();
    }

    /** Starts a server with the given model backend and clock (tests). */
    public static LocalServer start(LocalConfig config, ModelBackend backend, Clock clock) throws IOException {
        return new LocalServer(config, backend, clock);
    }

    public int port() {
        return transport.port();
    }

    public String origin() {
        return "http://" + config.host() + ":" + port();
    }

    /** The demo account's API key, or {@code null} without a demo account. */
    public String demoApiKey() {
        return demoApiKey;
    }

    /** The demo account's session token, or {@code null} without a demo account. */
    public String demoSessionToken() {
        return demoSessionToken;
    }

    /** The demo account's ledger (tests check its invariants). */
    public Ledger ledger() {
        return ledger;
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
        if (reconciler != null) reconciler.shutdownNow();
        transport.close();
        closeBackend(backend);
        store.close();
        files.close();
    }
}
