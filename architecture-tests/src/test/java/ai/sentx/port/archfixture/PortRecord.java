package ai.sentx.port.archfixture;

/** Fixture: a value record beside the ports. Breaks no rule. */
public record PortRecord(long cents) {
}
