package ai.sentx.application;

import ai.sentx.domain.AccountId;
import ai.sentx.domain.ApiKeyFormat;
import ai.sentx.domain.ApiKeyRecord;
import ai.sentx.domain.Failure;
import ai.sentx.domain.FailureException;
import ai.sentx.domain.KeyHasher;
import ai.sentx.domain.KeyId;
import ai.sentx.domain.Limits;
import ai.sentx.domain.Problem;
import ai.sentx.domain.Window;
import ai.sentx.port.ApiKeys;
import ai.sentx.port.IdSource;
import ai.sentx.port.RateLimits;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.random.RandomGenerator;

/**
 * Creates an API key (CONTRACT §2, §7, §9): at most {@code maxActiveKeys} active keys and
 * {@code keyCreationsPerHour} creations per fixed UTC hour per account. The full key leaves this
 * class once, in the result, and is never stored.
 */
public final class CreateApiKey {
    private static final Duration HOUR = Duration.ofHours(1);
    private static final int MAX_NAME = 128;

    private final ApiKeys keys;
    private final RateLimits rateLimits;
    private final KeyHasher hasher;
    private final Limits limits;
    private final Clock clock;
    private final IdSource ids;
    private final RandomGenerator random;

    public CreateApiKey(ApiKeys keys, RateLimits rateLimits, KeyHasher hasher, Limits limits, Clock clock,
                        IdSource ids, RandomGenerator random) {
        this.keys = keys;
        this.rateLimits = rateLimits;
        this.hasher = hasher;
        this.limits = limits;
        this.clock = clock;
        this.ids = ids;
        this.random = random;
    }

    /** The stored record and the full key, shown to the caller this once. */
    public record NewKey(ApiKeyRecord record, String key) {
    }

    /**
     * @throws FailureException {@code INVALID_PARAMETER} for a bad name, {@code MAX_KEYS_REACHED},
     *                          {@code KEY_CREATION_RATE_LIMITED}
     */
    public NewKey create(AccountId account, String name) {
        String clean = name == null ? "" : name.strip();
        if (clean.isEmpty() || clean.codePointCount(0, clean.length()) > MAX_NAME) {
            throw Failure.of(Problem.INVALID_PARAMETER, "name is required and may have at most 128 characters.", "name")
                    .exception();
        }
        long active = keys.list(account).stream().filter(ApiKeyRecord::active).count();
        if (active >= limits.maxActiveKeys()) throw maxKeys();
        Instant now = clock.instant();
        Window hour = Window.containing(now, HOUR);
        long count = rateLimits.hit("keycreate#" + account.value() + "#" + hour.start().getEpochSecond(),
                limits.keyCreationsPerHour(), hour.end().plus(HOUR));
        if (count < 0) {
            throw new Failure(Problem.KEY_CREATION_RATE_LIMITED, "At most " + limits.keyCreationsPerHour()
                    + " API keys can be created per hour.", null, hour.secondsUntilEnd(now)).exception();
        }
        String key = ApiKeyFormat.newKey(random);
        ApiKeyRecord record = new ApiKeyRecord(new KeyId(ids.next("key_")), account, clean, hasher.hash(key),
                ApiKeyFormat.hint(key), now, null, null);
        if (keys.create(record, limits.maxActiveKeys()) instanceof ApiKeys.Creation.LimitReached) throw maxKeys();
        return new NewKey(record, key);
    }

    private FailureException maxKeys() {
        return Failure.of(Problem.MAX_KEYS_REACHED, "This account has " + limits.maxActiveKeys()
                + " active API keys, the maximum. Revoke an old key first.").exception();
    }
}
