package ai.sentx.application;

import ai.sentx.domain.AccountId;
import ai.sentx.domain.ApiKeyRecord;
import ai.sentx.port.ApiKeys;
import java.util.List;

/** The account's active keys, oldest first (hash and hint only). */
public final class ListApiKeys {
    private final ApiKeys keys;

    public ListApiKeys(ApiKeys keys) {
        this.keys = keys;
    }

    public List<ApiKeyRecord> list(AccountId account) {
        return keys.list(account).stream().filter(ApiKeyRecord::active).toList();
    }
}
