package ai.sentx.local.archfixture;

import ai.sentx.http.archfixture.HttpFixture;
import ai.sentx.persistence.archfixture.PersistenceFixture;

/** Fixture: a composition root that reads the environment and wires adapters. Allowed. */
public final class LocalMainFixture {

    public String port() {
        return System.getenv("SENTX_PORT");
    }

    public Object wire() {
        return new Object[] {new HttpFixture(), new PersistenceFixture()};
    }
}
