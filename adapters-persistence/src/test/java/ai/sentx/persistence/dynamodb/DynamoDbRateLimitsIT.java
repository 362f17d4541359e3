package ai.sentx.persistence.dynamodb;

import ai.sentx.persistence.memory.MutableClock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.sentx.port.RateLimits;
import ai.sentx.port.contract.RateLimitsContract;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Runs the {@link RateLimitsContract} on {@link DynamoDbRateLimits} over the fake, and checks expiry and cost. */
class DynamoDbRateLimitsIT implements RateLimitsContract {
    private static final DynamoDbClient CLIENT = FakeDynamoDbServer.newClient();
    private static final TableNames TABLES = FakeDynamoDbServer.freshTables("limits");

    private final Instant t = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    @Override
    public RateLimits newRateLimits() {
        return new DynamoDbRateLimits(CLIENT, TABLES, Clock.systemUTC());
    }

    @Test
    void countsAHit_withOneWriteAndNoRead() {
        RateLimits limits = newRateLimits();
        String counter = "req#key_" + UUID.randomUUID() + "#w";

        RequestCounter.Counts before = RequestCounter.snapshot();
        assertEquals(1, limits.hit(counter, 60, t.plusSeconds(120)));
        assertEquals(Map.of("UpdateItem", 1L), RequestCounter.snapshot().since(before).byOperation());
    }

    @Test
    void startsACounterOver_onceItHasExpired_thoughTtlHasNotDeletedIt() {
        MutableClock clock = new MutableClock(t);
        RateLimits limits = new DynamoDbRateLimits(CLIENT, TABLES, clock);
        String counter = "req#key_" + UUID.randomUUID() + "#w";
        limits.hit(counter, 2, t.plusSeconds(60));
        limits.hit(counter, 2, t.plusSeconds(60));
        assertEquals(-1, limits.hit(counter, 2, t.plusSeconds(60)));

        clock.advance(Duration.ofSeconds(60));

        assertEquals(1, limits.hit(counter, 2, t.plusSeconds(120)));
        assertEquals(2, limits.hit(counter, 2, t.plusSeconds(120)));
        assertEquals(-1, limits.hit(counter, 2, t.plusSeconds(120)));
    }

    @Test
    void extendsALease_whenItsHolderAcquiresItAgain() {
        RateLimits limits = newRateLimits();
        String scope = "streams#key_" + UUID.randomUUID();
        limits.acquireLease(scope, "lease_1", 1, t, t.plusSeconds(30));
        limits.acquireLease(scope, "lease_1", 1, t.plusSeconds(20), t.plusSeconds(50));

        Instant afterFirstExpiry = t.plusSeconds(40);
        assertFalse(limits.acquireLease(scope, "lease_2", 1, afterFirstExpiry, afterFirstExpiry.plusSeconds(30)),
                "the renewed lease still holds the only slot");
    }

    @Test
    void acceptsAnyLeaseId_asAnAttributeName() {
        RateLimits limits = newRateLimits();
        String scope = "streams#key_" + UUID.randomUUID();
        String odd = "req.with #odd: chars-" + UUID.randomUUID() + " é";

        limits.acquireLease(scope, odd, 1, t, t.plusSeconds(30));
        assertFalse(limits.acquireLease(scope, "other", 1, t, t.plusSeconds(30)));
        limits.releaseLease(scope, odd);

        assertEquals(true, limits.acquireLease(scope, "other", 1, t, t.plusSeconds(30)));
    }
}
