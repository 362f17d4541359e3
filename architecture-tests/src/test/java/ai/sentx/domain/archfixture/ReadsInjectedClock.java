package ai.sentx.domain.archfixture;

import java.time.Clock;
import java.time.Instant;

/** Fixture: core code that asks an injected clock, as it should. Breaks no rule. */
public final class ReadsInjectedClock {

    private final Clock clock;

    public ReadsInjectedClock(Clock clock) {
        this.clock = clock;
    }

    public Instant now() {
        return Instant.now(clock);
    }
}
