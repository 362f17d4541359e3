package ai.sentx.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.sentx.domain.FailureException;
import ai.sentx.domain.Problem;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QueryStringTest {

    @Test
    void decodesParametersAsUtf8AndKeepsTheFirstValue() {
        Map<String, String> q = QueryString.parse("user=Al%C3%A9x&session=a+b&user=second&flag&from=2026-11-29T00%3A00%3A00Z");
        assertEquals("Aléx", q.get("user"));
        assertEquals("a b", q.get("session"));
        assertEquals("", q.get("flag"));
        assertEquals("2026-11-29T00:00:00Z", q.get("from"));
    }

    @Test
    void malformedEncodingIsABadRequest() {
        FailureException e = assertThrows(FailureException.class, () -> QueryString.parse("user=%ZZ"));
        assertEquals(Problem.INVALID_PARAMETER, e.failure().problem());
        assertThrows(FailureException.class, () -> QueryString.decode("%C3", false, "model"));
    }

    @Test
    void pathSegmentsKeepPlusSigns() {
        assertEquals("a+b/c", QueryString.decode("a+b%2Fc", false, "model"));
    }
}
