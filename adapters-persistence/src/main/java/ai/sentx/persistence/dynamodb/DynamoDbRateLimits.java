package ai.sentx.persistence.dynamodb;

import static ai.sentx.persistence.dynamodb.Codec.PK;
import static ai.sentx.persistence.dynamodb.Codec.TTL;
import static ai.sentx.persistence.dynamodb.Codec.n;
import static ai.sentx.persistence.dynamodb.Codec.s;

import ai.sentx.port.RateLimits;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * The {@link RateLimits} in the limits table, exact across instances because each counter and
 * each lease scope is one item that DynamoDB updates atomically:
 * <ul>
 *   <li>a <b>counter</b> ({@code pk = COUNTER#<name>}): {@code n} and {@code expiresAt}; a hit is
 *       one conditional {@code ADD}, refused once {@code n} reached the limit. A counter whose
 *       {@code expiresAt} passed on the injected clock starts over (TTL deletes it days late);</li>
 *   <li>a <b>lease scope</b> ({@code pk = LEASES#<scope>}): {@code n} and one attribute per lease,
 *       {@code l_<hex of the lease id>} = its expiry; acquiring is one conditional update
 *       ({@code n < limit}); a lease whose holder died expires, and the next acquisition that
 *       finds the scope full removes the expired ones before trying again.</li>
 * </ul>
 * Lease ids are hex-encoded in attribute names so that any id is a plain identifier.
 */
public final class DynamoDbRateLimits implements RateLimits {
    static final String COUNTER_PREFIX = "COUNTER#";
    static final String LEASES_PREFIX = "LEASES#";
    static final String COUNT = "n";
    static final String EXPIRES_AT = "expiresAt";
    static final String LEASE_PREFIX = "l_";
    /** Lease scopes outlive their last lease by this much before TTL may delete them. */
    static final Duration SCOPE_KEPT = Duration.ofDays(1);

    private final Dynamo dynamo;
    private final String table;
    private final Clock clock;

    /** @param clock decides when a counter has expired */
    public DynamoDbRateLimits(DynamoDbClient client, TableNames tables, Clock clock) {
        this.dynamo = new Dynamo(Objects.requireNonNull(client, "client"));
        this.table = tables.limits();
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * {@inheritDoc} One conditional write. A counter is expired when the clock is at or after its
     * {@code expiresAt}; its first hit sets {@code expiresAt}, later hits keep it.
     *
     * @throws StoreUnavailableException if DynamoDB fails
     */
    @Override
    public long hit(String counter, int limit, Instant expiresAt) {
        Objects.requireNonNull(counter, "counter");
        Objects.requireNonNull(expiresAt, "expiresAt");
        if (limit < 1) return -1;
        for (int attempt = 0; ; attempt++) {
            if (attempt > 1) Dynamo.backoff(attempt - 1, "hit " + counter);
            Instant now = clock.instant();
            Optional<Map<String, AttributeValue>> counted = dynamo.update(hitRequest(table, counter, limit, expiresAt, now));
            if (counted.isPresent()) return Codec.num(counted.get(), COUNT);
            Map<String, AttributeValue> item = dynamo.get(table, Codec.key(COUNTER_PREFIX + counter));
            if (item == null) continue;
            long count = Codec.num(item, COUNT);
            long until = Codec.num(item, EXPIRES_AT);
            if (Codec.nanos(now) >= until) {
                if (dynamo.put(restartRequest(table, counter, expiresAt, count, until))) return 1;
                continue;
            }
            if (count >= limit) return -1;
        }
    }

    /**
     * {@inheritDoc} One conditional write while the scope has room. A lease is expired when
     * {@code now} is at or after its expiry. A held lease acquired again keeps its slot and moves
     * to the later expiry.
     *
     * @throws StoreUnavailableException if DynamoDB fails
     */
    @Override
    public boolean acquireLease(String scope, String leaseId, int limit, Instant now, Instant expiresAt) {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(leaseId, "leaseId");
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(expiresAt, "expiresAt");
        if (limit < 1) return false;
        String lease = leaseAttribute(leaseId);
        for (int attempt = 0; ; attempt++) {
            if (attempt > 1) Dynamo.backoff(attempt - 1, "acquire " + scope);
            if (dynamo.update(acquireRequest(table, scope, lease, limit, expiresAt)).isPresent()) return true;
            Map<String, AttributeValue> item = dynamo.get(table, Codec.key(LEASES_PREFIX + scope));
            if (item == null) continue;
            if (item.containsKey(lease)) {
                long held = Codec.num(item, lease);
                if (held >= Codec.nanos(expiresAt) || dynamo.update(renewRequest(table, scope, lease, held, expiresAt)).isPresent()) {
                    return true;
                }
                continue;
            }
            boolean freed = false;
            long nowNanos = Codec.nanos(now);
            for (Map.Entry<String, AttributeValue> attribute : item.entrySet()) {
                if (!attribute.getKey().startsWith(LEASE_PREFIX)) continue;
                long until = Long.parseLong(attribute.getValue().n());
                if (nowNanos >= until) {
                    dynamo.update(expireRequest(table, scope, attribute.getKey(), until));
                    freed = true;
                }
            }
            if (!freed && Codec.num(item, COUNT, 0) >= limit) return false;
        }
    }

    /** {@inheritDoc} One conditional write. @throws StoreUnavailableException if DynamoDB fails */
    @Override
    public void releaseLease(String scope, String leaseId) {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(leaseId, "leaseId");
        dynamo.update(releaseRequest(table, scope, leaseAttribute(leaseId)));
    }

    // ---- the requests (package-private: DynamoDbRequestsTest pins them) ----

    static String leaseAttribute(String leaseId) {
        return LEASE_PREFIX + HexFormat.of().formatHex(leaseId.getBytes(StandardCharsets.UTF_8));
    }

    static UpdateItemRequest hitRequest(String table, String counter, int limit, Instant expiresAt, Instant now) {
        return UpdateItemRequest.builder()
                .tableName(table)
                .key(Codec.key(COUNTER_PREFIX + counter))
                .updateExpression("SET #expiresAt = if_not_exists(#expiresAt, :expiresAt), #ttl = if_not_exists(#ttl, :ttl) ADD #n :one")
                .conditionExpression("attribute_not_exists(#n) OR (#n < :limit AND #expiresAt > :now)")
                .expressionAttributeNames(Map.of("#n", COUNT, "#expiresAt", EXPIRES_AT, "#ttl", TTL))
                .expressionAttributeValues(Map.of(":one", n(1), ":limit", n(limit), ":now", Codec.time(now),
                        ":expiresAt", Codec.time(expiresAt), ":ttl", Codec.ttl(expiresAt)))
                .returnValues(ReturnValue.UPDATED_NEW)
                .build();
    }

    /** Starts an expired counter over at 1, if no other instance did since it was read. */
    static PutItemRequest restartRequest(String table, String counter, Instant expiresAt, long observedCount, long observedUntil) {
        return PutItemRequest.builder()
                .tableName(table)
                .item(Map.of(PK, s(COUNTER_PREFIX + counter), COUNT, n(1), EXPIRES_AT, Codec.time(expiresAt), TTL, Codec.ttl(expiresAt)))
                .conditionExpression("#n = :count AND #expiresAt = :until")
                .expressionAttributeNames(Map.of("#n", COUNT, "#expiresAt", EXPIRES_AT))
                .expressionAttributeValues(Map.of(":count", n(observedCount), ":until", n(observedUntil)))
                .build();
    }

    static UpdateItemRequest acquireRequest(String table, String scope, String lease, int limit, Instant expiresAt) {
        return UpdateItemRequest.builder()
                .tableName(table)
                .key(Codec.key(LEASES_PREFIX + scope))
                .updateExpression("SET #lease = :expiresAt, #ttl = :ttl ADD #n :one")
                .conditionExpression("attribute_not_exists(#lease) AND (attribute_not_exists(#n) OR #n < :limit)")
                .expressionAttributeNames(Map.of("#lease", lease, "#n", COUNT, "#ttl", TTL))
                .expressionAttributeValues(Map.of(":expiresAt", Codec.time(expiresAt), ":one", n(1), ":limit", n(limit),
                        ":ttl", Codec.ttl(expiresAt.plus(SCOPE_KEPT))))
                .build();
    }

    static UpdateItemRequest renewRequest(String table, String scope, String lease, long observedUntil, Instant expiresAt) {
        return UpdateItemRequest.builder()
                .tableName(table)
                .key(Codec.key(LEASES_PREFIX + scope))
                .updateExpression("SET #lease = :expiresAt, #ttl = :ttl")
                .conditionExpression("#lease = :until")
                .expressionAttributeNames(Map.of("#lease", lease, "#ttl", TTL))
                .expressionAttributeValues(Map.of(":expiresAt", Codec.time(expiresAt), ":until", n(observedUntil),
                        ":ttl", Codec.ttl(expiresAt.plus(SCOPE_KEPT))))
                .build();
    }

    /** Frees the slot of a lease that expired, if it was not renewed or released since it was read. */
    static UpdateItemRequest expireRequest(String table, String scope, String lease, long observedUntil) {
        return UpdateItemRequest.builder()
                .tableName(table)
                .key(Codec.key(LEASES_PREFIX + scope))
                .updateExpression("ADD #n :minusOne REMOVE #lease")
                .conditionExpression("#lease = :until")
                .expressionAttributeNames(Map.of("#lease", lease, "#n", COUNT))
                .expressionAttributeValues(Map.of(":minusOne", n(-1), ":until", n(observedUntil)))
                .build();
    }

    static UpdateItemRequest releaseRequest(String table, String scope, String lease) {
        return UpdateItemRequest.builder()
                .tableName(table)
                .key(Codec.key(LEASES_PREFIX + scope))
                .updateExpression("ADD #n :minusOne REMOVE #lease")
                .conditionExpression("attribute_exists(#lease)")
                .expressionAttributeNames(Map.of("#lease", lease, "#n", COUNT))
                .expressionAttributeValues(Map.of(":minusOne", n(-1)))
                .build();
    }
}
