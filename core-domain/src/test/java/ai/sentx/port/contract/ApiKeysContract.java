package ai.sentx.port.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sentx.domain.AccountId;
import ai.sentx.domain.ApiKeyRecord;
import ai.sentx.domain.KeyId;
import ai.sentx.port.ApiKeys;
import ai.sentx.port.ApiKeys.Creation;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ApiKeys} must do (CONTRACT §2, §7, §9): keys are found by their keyed hash,
 * listed oldest first, revoked idempotently and only by their own account, and an account never
 * holds more active keys than its limit, however many creations race.
 *
 * <p>Each case uses fresh random account ids, key ids and hashes, so a backing store shared by
 * the cases of one run serves them all.
 */
public interface ApiKeysContract {
    /** The key store to test; it may share its backing store with earlier ones, ids never collide. */
    ApiKeys newApiKeys();

    /**
     * How many operations each racing thread performs in the storm cases. The default keeps a run
     * against a networked store short; an in-process implementation should raise it to thousands,
     * because on a machine with few cores a missing lock only shows over many overlapping calls.
     */
    default int stressOperations() {
        return 5;
    }

    @Test
    default void findsAStoredKeyByItsHash() {
        ApiKeys keys = newApiKeys();
        ApiKeyRecord key = aKey(anAccount(), now());

        assertEquals(new Creation.Created(), keys.create(key, 25));

        assertEquals(Optional.of(key), keys.findByHash(key.hash()));
        assertEquals(List.of(key), keys.list(key.accountId()));
    }

    @Test
    default void findsNothing_forAnUnknownHash() {
        ApiKeys keys = newApiKeys();

        assertEquals(Optional.empty(), keys.findByHash(aHash()));
    }

    @Test
    default void listsNothing_forAnAccountWithoutKeys() {
        ApiKeys keys = newApiKeys();

        assertEquals(List.of(), keys.list(anAccount()));
    }

    @Test
    default void listsTheAccountsKeysOldestFirst_andNoOtherAccounts() {
        ApiKeys keys = newApiKeys();
        AccountId account = anAccount();
        Instant t = now();
        ApiKeyRecord newest = aKey(account, t.plusSeconds(20));
        ApiKeyRecord oldest = aKey(account, t);
        ApiKeyRecord middle = aKey(account, t.plusSeconds(10));
        keys.create(newest, 25);
        keys.create(oldest, 25);
        keys.create(middle, 25);
        keys.create(aKey(anAccount(), t.plusSeconds(5)), 25);

        assertEquals(List.of(oldest, middle, newest), keys.list(account));
    }

    @Test
    default void storesOnce_whenTheSameKeyIsCreatedTwice() {
        ApiKeys keys = newApiKeys();
        ApiKeyRecord key = aKey(anAccount(), now());

        assertEquals(new Creation.Created(), keys.create(key, 1));
        assertEquals(new Creation.Created(), keys.create(key, 1), "a retried creation is not a second key");

        assertEquals(List.of(key), keys.list(key.accountId()));
    }

    @Test
    default void revokesAKey_whichIsStillFoundButInactive() {
        ApiKeys keys = newApiKeys();
        Instant t = now();
        ApiKeyRecord key = aKey(anAccount(), t);
        keys.create(key, 25);
        Instant revokedAt = t.plus(Duration.ofMinutes(5));

        assertTrue(keys.revoke(key.accountId(), key.id(), revokedAt));

        ApiKeyRecord found = keys.findByHash(key.hash()).orElseThrow();
        assertFalse(found.active());
        assertEquals(revokedAt, found.revokedAt());
        assertEquals(List.of(found), keys.list(key.accountId()));
    }

    @Test
    default void keepsTheFirstRevocation_whenTheSameRevokeArrivesTwice() {
        ApiKeys keys = newApiKeys();
        Instant t = now();
        ApiKeyRecord key = aKey(anAccount(), t);
        keys.create(key, 25);

        assertTrue(keys.revoke(key.accountId(), key.id(), t.plusSeconds(60)));
        assertTrue(keys.revoke(key.accountId(), key.id(), t.plusSeconds(120)));

        assertEquals(t.plusSeconds(60), keys.findByHash(key.hash()).orElseThrow().revokedAt());
    }

    @Test
    default void freesOneSlotOnly_whenTheSameRevokeArrivesTwice() {
        ApiKeys keys = newApiKeys();
        AccountId account = anAccount();
        Instant t = now();
        ApiKeyRecord revoked = aKey(account, t);
        keys.create(revoked, 2);
        keys.create(aKey(account, t.plusSeconds(1)), 2);

        keys.revoke(account, revoked.id(), t.plusSeconds(2));
        keys.revoke(account, revoked.id(), t.plusSeconds(3));

        assertEquals(new Creation.Created(), keys.create(aKey(account, t.plusSeconds(4)), 2));
        assertEquals(new Creation.LimitReached(2), keys.create(aKey(account, t.plusSeconds(5)), 2),
                "the second revocation freed nothing");
    }

    @Test
    default void refusesToRevoke_anUnknownKey() {
        ApiKeys keys = newApiKeys();
        AccountId account = anAccount();
        keys.create(aKey(account, now()), 25);

        assertFalse(keys.revoke(account, new KeyId("key_" + UUID.randomUUID()), now()));
        assertFalse(keys.revoke(anAccount(), new KeyId("key_" + UUID.randomUUID()), now()));
    }

    @Test
    default void refusesToRevoke_anotherAccountsKey() {
        ApiKeys keys = newApiKeys();
        ApiKeyRecord key = aKey(anAccount(), now());
        keys.create(key, 25);
        AccountId intruder = anAccount();
        keys.create(aKey(intruder, now()), 25);

        assertFalse(keys.revoke(intruder, key.id(), now()));

        assertTrue(keys.findByHash(key.hash()).orElseThrow().active());
    }

    @Test
    default void recordsTheLastUse_whenTouched() {
        ApiKeys keys = newApiKeys();
        Instant t = now();
        ApiKeyRecord key = aKey(anAccount(), t);
        keys.create(key, 25);
        assertNull(keys.findByHash(key.hash()).orElseThrow().lastUsedAt());

        keys.touch(key.id(), t.plusSeconds(30));
        assertEquals(t.plusSeconds(30), keys.findByHash(key.hash()).orElseThrow().lastUsedAt());

        keys.touch(key.id(), t.plus(Duration.ofHours(2)));
        ApiKeyRecord touched = keys.findByHash(key.hash()).orElseThrow();
        assertEquals(t.plus(Duration.ofHours(2)), touched.lastUsedAt());
        assertEquals(key.usedAt(t.plus(Duration.ofHours(2))), touched, "touch changes nothing else");
        assertEquals(List.of(touched), keys.list(key.accountId()));
    }

    @Test
    default void ignoresATouch_ofAnUnknownKey() {
        ApiKeys keys = newApiKeys();
        KeyId unknown = new KeyId("key_" + UUID.randomUUID());

        keys.touch(unknown, now());

        assertEquals(List.of(), keys.list(anAccount()));
    }

    @Test
    default void refusesAKeyBeyondTheActiveLimit_untilOneIsRevoked() {
        ApiKeys keys = newApiKeys();
        AccountId account = anAccount();
        Instant t = now();
        ApiKeyRecord first = aKey(account, t);
        keys.create(first, 3);
        keys.create(aKey(account, t.plusSeconds(1)), 3);
        keys.create(aKey(account, t.plusSeconds(2)), 3);
        ApiKeyRecord fourth = aKey(account, t.plusSeconds(3));

        assertEquals(new Creation.LimitReached(3), keys.create(fourth, 3));
        assertEquals(Optional.empty(), keys.findByHash(fourth.hash()));

        keys.revoke(account, first.id(), t.plusSeconds(4));

        assertEquals(new Creation.Created(), keys.create(fourth, 3), "revoked keys do not count");
        assertEquals(4, keys.list(account).size());
        assertInstanceOf(Creation.LimitReached.class, keys.create(aKey(account, t.plusSeconds(5)), 3));
    }

    @Test
    default void countsOnlyTheAccountsOwnKeys_againstItsLimit() {
        ApiKeys keys = newApiKeys();
        AccountId busy = anAccount();
        keys.create(aKey(busy, now()), 1);

        assertEquals(new Creation.Created(), keys.create(aKey(anAccount(), now()), 1));
    }

    @Test
    default void createsExactlyTheLimit_whenManyCreationsRace() {
        ApiKeys keys = newApiKeys();
        AccountId account = anAccount();
        Instant t = now();

        List<Creation> results = Race.run(40, i -> keys.create(aKey(account, t.plusSeconds(i)), 25));

        assertEquals(25, results.stream().filter(Creation.Created.class::isInstance).count(), "results " + results);
        assertEquals(15, results.stream().filter(Creation.LimitReached.class::isInstance).count());
        assertEquals(25, keys.list(account).size());
        assertTrue(keys.list(account).stream().allMatch(ApiKeyRecord::active));
    }

    @Test
    default void neverExceedsTheActiveLimit_underAStormOfCreationsAndRevocations() {
        ApiKeys keys = newApiKeys();
        AccountId account = anAccount();
        Instant t = now();
        int limit = 3;
        AtomicInteger active = new AtomicInteger();
        AtomicInteger mostActive = new AtomicInteger();

        List<Integer> created = Race.run(8, i -> {
            int mine = 0;
            for (int round = 0; round < stressOperations(); round++) {
                ApiKeyRecord key = aKey(account, t);
                if (keys.create(key, limit) instanceof Creation.Created) {
                    mine++;
                    mostActive.accumulateAndGet(active.incrementAndGet(), Math::max);
                    // Stay a moment so keys overlap, and count out before the revocation, so
                    // "active" never counts more than exist.
                    Thread.yield();
                    active.decrementAndGet();
                    assertTrue(keys.revoke(account, key.id(), t.plusSeconds(1)));
                }
            }
            return mine;
        });

        assertTrue(mostActive.get() <= limit, "at most " + limit + " active at once, saw " + mostActive.get());
        List<ApiKeyRecord> stored = keys.list(account);
        assertEquals(created.stream().mapToInt(Integer::intValue).sum(), stored.size(), "every created key is stored");
        assertTrue(stored.stream().noneMatch(ApiKeyRecord::active));
        assertEquals(new Creation.Created(), keys.create(aKey(account, t), 1), "revocations freed every slot");
    }

    private static AccountId anAccount() {
        return new AccountId("acct_" + UUID.randomUUID());
    }

    /** 64 hex characters, the shape of an HMAC-SHA-256. */
    private static String aHash() {
        return (UUID.randomUUID().toString() + UUID.randomUUID()).replace("-", "");
    }

    private static ApiKeyRecord aKey(AccountId account, Instant createdAt) {
        String hash = aHash();
        return new ApiKeyRecord(new KeyId("key_" + UUID.randomUUID()), account, "key " + hash.substring(0, 6), hash,
                "sk-..." + hash.substring(60), createdAt, null, null);
    }

    /** Second precision, so a store that keeps coarser times than the JVM still compares equal. */
    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS);
    }
}
