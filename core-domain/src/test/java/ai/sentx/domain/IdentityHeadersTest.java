package ai.sentx.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IdentityHeadersTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "Al%C3%A9x|Aléx",
            "Alex|Alex",
            "Aléx|Aléx",
            "%E6%9D%B1%E4%BA%AC|東京",
            "%F0%9F%98%80|😀",
            "%D8%B9%D9%84%D9%8A|علي",
            "conv-8a1f2c|conv-8a1f2c",
            "100%25|100%",
            "a+b|a+b"
    })
    void percentDecodesAsUtf8(String raw, String expected) {
        assertEquals(expected, IdentityHeaders.decode("X-User-Name", raw));
    }

    @Test
    void absentOrEmptyIsNull() {
        assertNull(IdentityHeaders.decode("X-User-Id", null));
        assertNull(IdentityHeaders.decode("X-User-Id", "   "));
    }

    @ParameterizedTest
    @ValueSource(strings = {"%", "%E", "abc%", "%ZZ", "%E0%A4%A", "%C3", "%FF%FE", "%C3%28"})
    void malformedEncodingIsAnInvalidParameterNamingTheHeader(String raw) {
        FailureException e = assertThrows(FailureException.class, () -> IdentityHeaders.decode("X-User-Name", raw));
        assertEquals(Problem.INVALID_PARAMETER, e.failure().problem());
        assertEquals("X-User-Name", e.failure().param());
    }

    @Test
    void moreThan256CharactersAreRefused() {
        assertEquals(256, IdentityHeaders.decode("X-Session-Id", "s".repeat(256)).length());
        FailureException e = assertThrows(FailureException.class,
                () -> IdentityHeaders.decode("X-Session-Id", "s".repeat(257)));
        assertEquals("X-Session-Id", e.failure().param());
        assertEquals(256, IdentityHeaders.decode("X-User-Name", "%C3%A9".repeat(256)).length(),
                "the limit counts decoded characters");
    }
}
