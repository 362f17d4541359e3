package ai.sentx.port.archfixture;

/** Fixture: a driven port written as a class. Breaks {@code PORTS_ARE_INTERFACES}. */
public class ConcretePort {

    public long balance() {
        return 0;
    }
}
