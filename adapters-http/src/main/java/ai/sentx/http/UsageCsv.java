package ai.sentx.http;

import ai.sentx.domain.UsageRecord;
import java.util.List;

/**
 * Usage records as RFC 4180 CSV. Cells that a spreadsheet would run as a formula ({@code =},
 * {@code +}, {@code -}, {@code @}, tab, CR) are prefixed with {@code '} (end-user names are
 * customer-controlled).
 */
final class UsageCsv {
    static final String HEADER = "time,request_id,key_id,key_hint,user,user_name,session,model,stream,finish_reason,"
            + "prompt_tokens,completion_tokens,total_tokens,cost_cents\r\n";

    private UsageCsv() {
    }

    static String render(List<UsageRecord> records) {
        StringBuilder sb = new StringBuilder(HEADER);
        for (UsageRecord r : records) {
            Csv.cell(sb, r.at().toString()).append(',');
            Csv.cell(sb, r.id()).append(',');
            Csv.cell(sb, r.keyId().value()).append(',');
            Csv.cell(sb, r.keyHint()).append(',');
            Csv.cell(sb, r.endUser().user()).append(',');
            Csv.cell(sb, r.endUser().userName()).append(',');
            Csv.cell(sb, r.endUser().session()).append(',');
            Csv.cell(sb, r.model()).append(',');
            sb.append(r.stream()).append(',');
            Csv.cell(sb, r.finishReason()).append(',');
            sb.append(r.promptTokens()).append(',').append(r.completionTokens()).append(',')
                    .append(r.totalTokens()).append(',').append(r.costCents()).append("\r\n");
        }
        return sb.toString();
    }
}
