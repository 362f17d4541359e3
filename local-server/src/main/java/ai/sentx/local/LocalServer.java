package ai.sentx.local;

import ai.sentx.application.AuthenticateSession;
import ai.sentx.application.AuthorizeApiCall;
import ai.sentx.application.CompleteChat;
import ai.sentx.application.CreateApiKey;
import ai.sentx.application.ListApiKeys;
import ai.sentx.application.ListUsage;
import ai.sentx.application.RevokeApiKey;
import ai.sentx.application.SecureRandomIds;
import ai.sentx.application.ShowAccount;
import ai.sentx.application.SweepExpiredHolds;
import ai.sentx.domain.Account;
import ai.sentx.domain.AccountId;
import ai.sentx.domain.ApiKeyFormat;
import ai.sentx.domain.ApiKeyRecord;
import ai.sentx.domain.KeyHasher;
import ai.sentx.domain.KeyId;
import ai.sentx.domain.LedgerEntry;
import ai.sentx.http.HttpApi;
import ai.sentx.model.builtin.BuiltInBackend;
import ai.sentx.persistence.memory.InMemoryAccounts;
import ai.sentx.persistence.memory.InMemoryApiKeys;
import ai.sentx.persistence.memory.InMemoryLedger;
import ai.sentx.persistence.memory.InMemoryRateLimits;
import ai.sentx.persistence.memory.InMemorySessions;
import ai.sentx.persistence.memory.InMemoryUsageRecords;
import ai.sentx.port.IdSource;
import ai.sentx.port.Ledger;
import ai.sentx.port.ModelBackend;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The composition root of the local server: the embedded in-memory store, the built-in model, the
 * demo account, and the HTTP API on the JDK server. {@link #start} is also how tests run it.
 */
public final class LocalServer implements AutoCloseable {
    /** The demo account's id. */
    public static final AccountId DEMO_ACCOUNT = new AccountId("acct_demo");

    private final JdkHttpTransport transport;
    private final ScheduledExecutorService sweeper;
    private final String demoApiKey;
    private final String demoSessionToken;
    private final Ledger ledger;
    private final LocalConfig config;

    private LocalServer(LocalConfig config, ModelBackend backend, Clock clock) throws IOException {
        this.config = config;
        SecureRandom random = new SecureRandom();
        IdSource ids = new SecureRandomIds();
        KeyHasher hasher = new KeyHasher(config.keyHashSecret());
        InMemoryAccounts accounts = new InMemoryAccounts();
        InMemoryLedger ledger = new InMemoryLedger();
        InMemoryApiKeys keys = new InMemoryApiKeys();
        InMemoryRateLimits rateLimits = new InMemoryRateLimits(clock);
        InMemoryUsageRecords usage = new InMemoryUsageRecords();
        InMemorySessions sessions = new InMemorySessions(hasher);
        this.ledger = ledger;

        Instant now = clock.instant();
        accounts.createIfAbsent(new Account(DEMO_ACCOUNT, "Demo account", now));
        if (config.demoBalanceCents() > 0) {
            ledger.post(new LedgerEntry("credit_demo_initial", DEMO_ACCOUNT, LedgerEntry.Kind.CREDIT,
                    config.demoBalanceCents(), "demo balance", now));
        }
        this.demoApiKey = config.demoApiKey() != null ? config.demoApiKey() : ApiKeyFormat.newKey(random);
        keys.create(new ApiKeyRecord(new KeyId("key_demo"), DEMO_ACCOUNT, "Demo key", hasher.hash(demoApiKey),
                ApiKeyFormat.hint(demoApiKey), now, null, null), config.limits().maxActiveKeys());
        this.demoSessionToken = config.demoSessionToken() != null ? config.demoSessionToken()
                : LocalConfig.newSessionToken(random);
        sessions.register(demoSessionToken, DEMO_ACCOUNT);

        HttpApi api = new HttpApi(new HttpApi.UseCases(
                new AuthorizeApiCall(keys, hasher, rateLimits, config.limits(), clock),
                new CompleteChat(ledger, rateLimits, usage, backend, config.limits(), clock, config.safetyInstructions(),
                        config.keepAliveEvery()),
                new AuthenticateSession(sessions),
                new ShowAccount(accounts, ledger, clock),
                new CreateApiKey(keys, rateLimits, hasher, config.limits(), clock, ids,
                        random),
                new ListApiKeys(keys),
                new RevokeApiKey(keys, clock),
                new ListUsage(usage)), ids, clock);
        this.transport = new JdkHttpTransport(config.host(), config.port(), api);
        SweepExpiredHolds sweep = new SweepExpiredHolds(ledger, clock);
        this.sweeper = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("hold-sweeper").factory());
        sweeper.scheduleWithFixedDelay(sweep::sweep, 1, 1, TimeUnit.MINUTES);
    }

    /** Starts a server with the built-in model. */
    public static LocalServer start(LocalConfig config) throws IOException {
        return start(config, new BuiltInBackend(config.limits().maxOutputTokens(), config.tokenDelay()),
                Clock.systemUTC());
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

    public String demoApiKey() {
        return demoApiKey;
    }

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
        transport.close();
    }
}
