package ai.sentx.persistence.memory;

import ai.sentx.port.FileCatalog;
import ai.sentx.port.contract.FileCatalogContract;

/** Runs the {@link FileCatalogContract} on {@link InMemoryFileCatalog}. */
class InMemoryFileCatalogTest implements FileCatalogContract {
    @Override
    public FileCatalog newFileCatalog() {
        return new InMemoryFileCatalog();
    }

    /** In process, thousands of overlapping calls are cheap and make a missing lock show. */
    @Override
    public int stressOperations() {
        return 20_000;
    }
}
