package ai.sentx.persistence.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.sentx.domain.AccountId;
import ai.sentx.domain.LedgerEntry;
import ai.sentx.port.Ledger;
import ai.sentx.port.Ledger.HoldResult;
import ai.sentx.port.contract.LedgerContract;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Runs the {@link LedgerContract} on {@link InMemoryLedger}, and checks what it settles beyond it. */
class InMemoryLedgerTest implements LedgerContract {
    private static final Instant T = Instant.parse("2026-11-29T19:51:00Z");
    private static final AccountId ACCOUNT = new AccountId("acct_1");

    @Override
    public Ledger newLedger() {
        return new InMemoryLedger();
    }

    /** In process, thousands of overlapping calls are cheap and make a missing lock show. */
    @Override
    public int stressOperations() {
        return 20_000;
    }

    @Test
    void reservesNothing_whenAReleasedHoldIsPlacedAgain() {
        InMemoryLedger ledger = funded(500);
        ledger.placeHold(ACCOUNT, "hold_1", 200, T, T.plusSeconds(60));
        ledger.release(ACCOUNT, "hold_1");

        assertEquals(new HoldResult.Placed(), ledger.placeHold(ACCOUNT, "hold_1", 200, T, T.plusSeconds(60)));

        assertEquals(500, ledger.available(ACCOUNT, T));
        assertEquals(0, ledger.settle(ACCOUNT, "hold_1", 100, "req", T));
    }

    @Test
    void reservesNothing_whenASettledHoldIsPlacedAgain() {
        InMemoryLedger ledger = funded(500);
        ledger.placeHold(ACCOUNT, "hold_1", 200, T, T.plusSeconds(60));
        ledger.settle(ACCOUNT, "hold_1", 100, "req", T);

        assertEquals(new HoldResult.Placed(), ledger.placeHold(ACCOUNT, "hold_1", 200, T, T.plusSeconds(60)));

        assertEquals(400, ledger.available(ACCOUNT, T));
    }

    @Test
    void refusesNegativeHoldsAndCosts() {
        InMemoryLedger ledger = funded(500);

        assertThrows(IllegalArgumentException.class, () -> ledger.placeHold(ACCOUNT, "hold_1", -1, T, T));
        assertThrows(IllegalArgumentException.class, () -> ledger.settle(ACCOUNT, "hold_1", -1, "req", T));
    }

    @Test
    void refusesAnEntry_thatWouldOverflowTheBalance() {
        InMemoryLedger ledger = funded(Long.MAX_VALUE);

        assertThrows(ArithmeticException.class,
                () -> ledger.post(new LedgerEntry("e_2", ACCOUNT, LedgerEntry.Kind.CREDIT, 1, "", T)));
        assertEquals(Long.MAX_VALUE, ledger.balance(ACCOUNT));
        assertEquals(1, ledger.entries(ACCOUNT).size());
    }

    private static InMemoryLedger funded(long cents) {
        InMemoryLedger ledger = new InMemoryLedger();
        ledger.post(new LedgerEntry("e_1", ACCOUNT, LedgerEntry.Kind.CREDIT, cents, "", T));
        return ledger;
    }
}
