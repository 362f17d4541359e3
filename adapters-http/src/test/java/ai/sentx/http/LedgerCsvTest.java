package ai.sentx.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.sentx.domain.AccountId;
import ai.sentx.domain.LedgerEntry;
import ai.sentx.domain.LedgerLine;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link LedgerCsv}: one row per entry, signed amounts, running balance, formula-safe text. */
class LedgerCsvTest {
    private static final AccountId ACCOUNT = new AccountId("acct_ada");
    private static final Instant T = Instant.parse("2026-11-29T19:51:00Z");

    @Test
    void writesTopUpsUsageAndRefunds_sideBySide() {
        List<LedgerLine> lines = List.of(
                new LedgerLine(new LedgerEntry("refund_ch_1_1000", ACCOUNT, LedgerEntry.Kind.REFUND, -1_000, "ch_1",
                        T.plusSeconds(2)), 1_488),
                new LedgerLine(new LedgerEntry("req_1", ACCOUNT, LedgerEntry.Kind.USAGE, -12, "req_1", T.plusSeconds(1)),
                        2_488),
                new LedgerLine(new LedgerEntry("topup_cs_1", ACCOUNT, LedgerEntry.Kind.CREDIT, 2_500, "cs_1", T), 2_500));

        assertEquals(LedgerCsv.HEADER
                + "2026-11-29T19:51:02Z,refund_ch_1_1000,refund,-1000,1488,ch_1\r\n"
                + "2026-11-29T19:51:01Z,req_1,usage,-12,2488,req_1\r\n"
                + "2026-11-29T19:51:00Z,topup_cs_1,credit,2500,2500,cs_1\r\n", LedgerCsv.render(lines));
    }

    @Test
    void neutralisesFormulas_andQuotesSeparators_inTextCells() {
        List<LedgerLine> lines = List.of(new LedgerLine(new LedgerEntry("=HYPERLINK(1)", ACCOUNT,
                LedgerEntry.Kind.ADJUSTMENT, 5, "a,\"b\"", T), 5));

        assertEquals(LedgerCsv.HEADER + "2026-11-29T19:51:00Z,'=HYPERLINK(1),adjustment,5,5,\"a,\"\"b\"\"\"\r\n",
                LedgerCsv.render(lines));
    }
}
