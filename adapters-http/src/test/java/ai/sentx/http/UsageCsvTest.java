package ai.sentx.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.sentx.domain.AccountId;
import ai.sentx.domain.EndUser;
import ai.sentx.domain.KeyId;
import ai.sentx.domain.UsageRecord;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class UsageCsvTest {

    @Test
    void rendersOneQuotedRowPerRecordAndDefusesFormulas() {
        UsageRecord r = new UsageRecord("req_1", new AccountId("acct_1"), new KeyId("key_1"), "sk-...abcd",
                new EndUser("user-42", "=HYPERLINK(\"x\")", "conv, 1"), "sentx-v1", 10, 5, 1, true, "stop",
                Instant.parse("2026-11-29T20:00:00Z"));
        String csv = UsageCsv.render(List.of(r));
        assertEquals(UsageCsv.HEADER
                + "2026-11-29T20:00:00Z,req_1,key_1,sk-...abcd,user-42,\"'=HYPERLINK(\"\"x\"\")\",\"conv, 1\",sentx-v1,"
                + "true,stop,10,5,15,1\r\n", csv);
    }

    @Test
    void absentIdentityFieldsAreEmptyCells() {
        UsageRecord r = new UsageRecord("req_2", new AccountId("a"), new KeyId("k"), "sk-...wxyz", EndUser.NONE,
                "sentx-v1", 1, 0, 1, false, "length", Instant.parse("2026-11-29T20:00:00Z"));
        assertEquals(UsageCsv.HEADER + "2026-11-29T20:00:00Z,req_2,k,sk-...wxyz,,,,sentx-v1,false,length,1,0,1,1\r\n",
                UsageCsv.render(List.of(r)));
    }
}
