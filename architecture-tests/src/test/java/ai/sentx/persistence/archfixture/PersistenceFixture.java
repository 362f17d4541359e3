package ai.sentx.persistence.archfixture;

/** Fixture: an adapter class that other fixtures depend on. */
public final class PersistenceFixture {
}
