package ai.sentx.application;

import ai.sentx.domain.AccountId;
import ai.sentx.domain.KeyId;

/** The caller of a {@code /v1} route: which key, of which account. */
public record ApiPrincipal(KeyId keyId, AccountId accountId, String keyHint) {
}
