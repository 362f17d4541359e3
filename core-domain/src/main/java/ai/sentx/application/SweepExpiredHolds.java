package ai.sentx.application;

import ai.sentx.port.Ledger;
import java.time.Clock;

/**
 * Releases the holds of requests that died between hold and settlement (a crash, a killed
 * instance), so their reserved money becomes available again. Run on a schedule.
 */
public final class SweepExpiredHolds {
    private final Ledger ledger;
    private final Clock clock;

    public SweepExpiredHolds(Ledger ledger, Clock clock) {
        this.ledger = ledger;
        this.clock = clock;
    }

    /** @return how many holds were released */
    public int sweep() {
        return ledger.releaseExpiredHolds(clock.instant());
    }
}
