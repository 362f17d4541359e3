package ai.sentx.http;

import ai.sentx.domain.LedgerEntry;
import ai.sentx.domain.LedgerLine;
import java.util.List;
import java.util.Locale;

/**
 * Ledger lines as RFC 4180 CSV, newest first like the JSON: one row per entry with its kind
 * ({@code credit}, {@code usage}, {@code refund}, {@code dispute}, {@code adjustment}), signed
 * amount and the balance after it. Text cells that a spreadsheet would run as a formula are
 * prefixed with {@code '}, as in the usage export.
 */
final class LedgerCsv {
    static final String HEADER = "time,entry_id,kind,amount_cents,balance_cents,reference\r\n";

    private LedgerCsv() {
    }

    static String render(List<LedgerLine> lines) {
        StringBuilder sb = new StringBuilder(HEADER);
        for (LedgerLine line : lines) {
            LedgerEntry e = line.entry();
            Csv.cell(sb, e.at().toString()).append(',');
            Csv.cell(sb, e.id()).append(',');
            sb.append(kind(e.kind())).append(',');
            sb.append(e.amountCents()).append(',');
            sb.append(line.balanceAfterCents()).append(',');
            Csv.cell(sb, e.reference()).append("\r\n");
        }
        return sb.toString();
    }

    /** The kind as the API writes it. */
    static String kind(LedgerEntry.Kind kind) {
        return kind.name().toLowerCase(Locale.ROOT);
    }
}
