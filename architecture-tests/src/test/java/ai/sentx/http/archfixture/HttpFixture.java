package ai.sentx.http.archfixture;

import ai.sentx.persistence.archfixture.PersistenceFixture;

/** Fixture: an adapter that uses another adapter. Breaks {@code ADAPTERS_DO_NOT_DEPEND_ON_EACH_OTHER}. */
public final class HttpFixture {

    public PersistenceFixture store() {
        return new PersistenceFixture();
    }
}
