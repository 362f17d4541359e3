package ai.sentx.application;

import ai.sentx.domain.ApiKeyFormat;
import ai.sentx.domain.ApiKeyRecord;
import ai.sentx.domain.Failure;
import ai.sentx.domain.KeyHasher;
import ai.sentx.domain.Limits;
import ai.sentx.domain.Problem;
import ai.sentx.domain.Window;
import ai.sentx.port.ApiKeys;
import ai.sentx.port.RateLimits;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Authenticates the API key of a {@code /v1} call and counts it against the key's request window
 * (CONTRACT §2, §7): fixed UTC-minute windows, the 61st request of a minute is refused.
 */
public final class AuthorizeApiCall {
    private static final Duration MINUTE = Duration.ofMinutes(1);
    private static final Duration TOUCH_EVERY = Duration.ofMinutes(1);
    private static final System.Logger LOG = System.getLogger(AuthorizeApiCall.class.getName());

    private final ApiKeys keys;
    private final KeyHasher hasher;
    private final RateLimits limits;
    private final Limits config;
    private final Clock clock;

    public AuthorizeApiCall(ApiKeys keys, KeyHasher hasher, RateLimits limits, Limits config, Clock clock) {
        this.keys = keys;
        this.hasher = hasher;
        this.limits = limits;
        this.config = config;
        this.clock = clock;
    }

    /**
     * @param bearer the token of the {@code Authorization: Bearer} header, or {@code null}
     * @return {@code Granted}, or {@code Denied} with {@code INVALID_API_KEY} or {@code RATE_LIMITED}
     */
    public Authorization authorize(String bearer) {
        Instant now = clock.instant();
        Window window = Window.containing(now, MINUTE);
        int limit = config.requestsPerMinute();
        RequestQuota untouched = new RequestQuota(limit, limit, window.end());
        Optional<ApiKeyRecord> found = ApiKeyFormat.isWellFormed(bearer) ? find(bearer) : Optional.empty();
        if (found.isEmpty() || !found.get().active()) {
            return new Authorization.Denied(Failure.of(Problem.INVALID_API_KEY,
                    "Invalid API key: it is not recognized, revoked, or not of the form sk-...."), untouched);
        }
        ApiKeyRecord key = found.get();
        long count = limits.hit("req#" + key.id().value() + "#" + window.start().getEpochSecond(), limit,
                window.end().plus(MINUTE));
        if (count < 0) {
            return new Authorization.Denied(new Failure(Problem.RATE_LIMITED,
                    "Rate limit reached: " + limit + " requests per minute for this API key. Retry after the minute ends.",
                    null, window.secondsUntilEnd(now)), new RequestQuota(limit, 0, window.end()));
        }
        if (key.lastUsedAt() == null || key.lastUsedAt().plus(TOUCH_EVERY).isBefore(now)) {
            try {
                keys.touch(key.id(), now);
            } catch (RuntimeException e) {
                // Best effort: a failed "last used" stamp must not fail a request already admitted.
                LOG.log(System.Logger.Level.WARNING, "could not record the last use of " + key.id());
            }
        }
        return new Authorization.Granted(new ApiPrincipal(key.id(), key.accountId(), key.hint()),
                new RequestQuota(limit, Math.max(0, limit - count), window.end()));
    }

    private Optional<ApiKeyRecord> find(String bearer) {
        String hash = hasher.hash(bearer);
        return keys.findByHash(hash).filter(k -> KeyHasher.sameHash(k.hash(), hash));
    }
}
