package ai.sentx.persistence.dynamodb;

import ai.sentx.domain.KeyHasher;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Every DynamoDB adapter over one client and one set of tables, for a composition root to hand
 * to the use cases. Building it makes no call; each adapter is created once and is thread-safe.
 */
public final class DynamoDbStore {
    private final DynamoDbAccounts accounts;
    private final DynamoDbLedger ledger;
    private final DynamoDbApiKeys apiKeys;
    private final DynamoDbRateLimits rateLimits;
    private final DynamoDbUsageRecords usageRecords;
    private final DynamoDbSessions sessions;
    private final DynamoDbPaymentEvents paymentEvents;
    private final DynamoDbFileCatalog files;

    /**
     * @param client the SDK client, shared by every adapter (the caller closes it)
     * @param tables the tables' names
     * @param hasher hashes session tokens
     * @param clock  decides when counters and sessions have expired
     */
    public DynamoDbStore(DynamoDbClient client, TableNames tables, KeyHasher hasher, Clock clock) {
        this(client, tables, hasher, clock, DynamoDbLedger.DEFAULT_SWEEP_LOOKBACK);
    }

    /** As above, with the sweeper's lookback (see {@link DynamoDbLedger}). */
    public DynamoDbStore(DynamoDbClient client, TableNames tables, KeyHasher hasher, Clock clock, Duration sweepLookback) {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(tables, "tables");
        this.accounts = new DynamoDbAccounts(client, tables);
        this.ledger = new DynamoDbLedger(client, tables, DynamoDbLedger.DEFAULT_SWEEP_SHARDS, sweepLookback);
        this.apiKeys = new DynamoDbApiKeys(client, tables);
        this.rateLimits = new DynamoDbRateLimits(client, tables, clock);
        this.usageRecords = new DynamoDbUsageRecords(client, tables);
        this.sessions = new DynamoDbSessions(client, tables, hasher, clock);
        this.paymentEvents = new DynamoDbPaymentEvents(client, tables);
        this.files = new DynamoDbFileCatalog(client, tables);
    }

    /** The account holders. */
    public DynamoDbAccounts accounts() {
        return accounts;
    }

    /** Money: balances, holds, entries. */
    public DynamoDbLedger ledger() {
        return ledger;
    }

    /** API keys. */
    public DynamoDbApiKeys apiKeys() {
        return apiKeys;
    }

    /** Request windows and stream slots. */
    public DynamoDbRateLimits rateLimits() {
        return rateLimits;
    }

    /** Per-request usage records. */
    public DynamoDbUsageRecords usageRecords() {
        return usageRecords;
    }

    /** Account sign-in sessions. */
    public DynamoDbSessions sessions() {
        return sessions;
    }

    /** What payment handling remembers besides the ledger. */
    public DynamoDbPaymentEvents paymentEvents() {
        return paymentEvents;
    }

    /** Uploaded files' metadata and the accounts' file caps. */
    public DynamoDbFileCatalog files() {
        return files;
    }
}
