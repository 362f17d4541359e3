package ai.sentx.persistence.archfixture;

import java.util.Map;
import java.util.function.Supplier;

/** Fixture: an adapter that reads the environment itself. Breaks {@code ONLY_COMPOSITION_ROOTS_READ_THE_ENVIRONMENT}. */
public final class ReadsEnvironment {

    public String oneVariable() {
        return System.getenv("SENTX_TABLE");
    }

    public Map<String, String> wholeEnvironment() {
        return System.getenv();
    }

    public Supplier<Map<String, String>> environmentReference() {
        return System::getenv;
    }
}
