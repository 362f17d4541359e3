package ai.sentx.port.archfixture;

/** Fixture: a port-level exception. Breaks no rule. */
public final class PortFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public PortFailure(String message) {
        super(message);
    }
}
