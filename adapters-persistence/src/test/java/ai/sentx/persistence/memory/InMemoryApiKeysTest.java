package ai.sentx.persistence.memory;

import ai.sentx.port.ApiKeys;
import ai.sentx.port.contract.ApiKeysContract;

/** Runs the {@link ApiKeysContract} on {@link InMemoryApiKeys}. */
class InMemoryApiKeysTest implements ApiKeysContract {
    @Override
    public ApiKeys newApiKeys() {
        return new InMemoryApiKeys();
    }

    /** In process, thousands of overlapping calls are cheap and make a missing lock show. */
    @Override
    public int stressOperations() {
        return 20_000;
    }
}
