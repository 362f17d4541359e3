package ai.sentx.persistence.dynamodb;

import static ai.sentx.persistence.dynamodb.Codec.TTL;
import static ai.sentx.persistence.dynamodb.Codec.s;

import ai.sentx.domain.AccountId;
import ai.sentx.domain.KeyHasher;
import ai.sentx.port.Sessions;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

/**
 * The {@link Sessions} in the credentials table: one item per session, keyed by the keyed hash of
 * its token ({@code pk = SESSION#<hash>}), so the table never holds a usable token. A session may
 * expire: reads ignore it from its {@code expiresAt} on (TTL deletes it later).
 */
public final class DynamoDbSessions implements Sessions {
    static final String SESSION_PREFIX = "SESSION#";
    static final String ITEM_SK = "SESSION";
    static final String ACCOUNT = "accountId";
    static final String HASH = "hash";
    static final String EXPIRES_AT = "expiresAt";

    private final Dynamo dynamo;
    private final String table;
    private final KeyHasher hasher;
    private final Clock clock;

    /**
     * @param hasher hashes tokens on registration and on every authentication
     * @param clock  decides when a session has expired
     */
    public DynamoDbSessions(DynamoDbClient client, TableNames tables, KeyHasher hasher, Clock clock) {
        this.dynamo = new Dynamo(Objects.requireNonNull(client, "client"));
        this.table = tables.credentials();
        this.hasher = Objects.requireNonNull(hasher, "hasher");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Makes {@code token} a session of {@code account} that never expires; registering a token
     * again moves it.
     *
     * @throws IllegalArgumentException  if {@code token} is blank
     * @throws StoreUnavailableException if DynamoDB fails
     */
    public void register(String token, AccountId account) {
        register(token, account, null);
    }

    /**
     * Makes {@code token} a session of {@code account} until {@code expiresAt} ({@code null}: never).
     *
     * @throws IllegalArgumentException  if {@code token} is blank
     * @throws StoreUnavailableException if DynamoDB fails
     */
    public void register(String token, AccountId account, Instant expiresAt) {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(account, "account");
        if (token.isBlank()) throw new IllegalArgumentException("blank session token");
        dynamo.put(registerRequest(table, hasher.hash(token), account, expiresAt));
    }

    /** {@inheritDoc} One consistent read. @throws StoreUnavailableException if DynamoDB fails */
    @Override
    public Optional<AccountId> authenticate(String token) {
        if (token == null || token.isBlank()) return Optional.empty();
        String hash = hasher.hash(token);
        Map<String, AttributeValue> item = dynamo.get(table, Codec.key(SESSION_PREFIX + hash, ITEM_SK));
        if (item == null || !KeyHasher.sameHash(Codec.str(item, HASH), hash)) return Optional.empty();
        Instant expiresAt = Codec.timeOrNull(item, EXPIRES_AT);
        if (expiresAt != null && !clock.instant().isBefore(expiresAt)) return Optional.empty();
        return Optional.of(new AccountId(Codec.str(item, ACCOUNT)));
    }

    static PutItemRequest registerRequest(String table, String hash, AccountId account, Instant expiresAt) {
        Map<String, AttributeValue> item = new HashMap<>(Codec.key(SESSION_PREFIX + hash, ITEM_SK));
        item.put(HASH, s(hash));
        item.put(ACCOUNT, s(account.value()));
        if (expiresAt != null) {
            item.put(EXPIRES_AT, Codec.time(expiresAt));
            item.put(TTL, Codec.ttl(expiresAt));
        }
        return PutItemRequest.builder().tableName(table).item(item).build();
    }
}
