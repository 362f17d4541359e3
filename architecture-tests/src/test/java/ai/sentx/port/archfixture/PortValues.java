package ai.sentx.port.archfixture;

/** Fixture: a port interface with its nested result types. Breaks no rule. */
public interface PortValues {

    Result place(long cents);

    sealed interface Result {
        record Placed() implements Result {
        }

        final class Refused implements Result {
        }
    }
}
