package ai.sentx.application;

import ai.sentx.domain.AccountId;
import ai.sentx.domain.Failure;
import ai.sentx.domain.FailureException;
import ai.sentx.domain.KeyId;
import ai.sentx.domain.Problem;
import ai.sentx.port.ApiKeys;
import java.time.Clock;

/** Revokes a key of the account; the next request with it gets {@code 401}. */
public final class RevokeApiKey {
    private final ApiKeys keys;
    private final Clock clock;

    public RevokeApiKey(ApiKeys keys, Clock clock) {
        this.keys = keys;
        this.clock = clock;
    }

    /** @throws FailureException {@code KEY_NOT_FOUND} when the account has no such key */
    public void revoke(AccountId account, KeyId key) {
        if (!keys.revoke(account, key, clock.instant())) {
            throw Failure.of(Problem.KEY_NOT_FOUND, "No such API key: " + key.value() + ".").exception();
        }
    }
}
