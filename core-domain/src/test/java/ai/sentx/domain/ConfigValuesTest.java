package ai.sentx.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigValuesTest {
    @Test
    void blankValuesAreAbsent_othersStripped() {
        assertNull(ConfigValues.blank(null));
        assertNull(ConfigValues.blank("  "));
        assertEquals("x", ConfigValues.blank(" x "));
    }

    @Test
    void numbersFallBack_whenUnset_andNameTheVariableWhenMalformed() {
        assertEquals(7, ConfigValues.intVar(Map.of(), "N", 7));
        assertEquals(42, ConfigValues.intVar(Map.of("N", " 42 "), "N", 7));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConfigValues.longVar(Map.of("N", "-1"), "N", 0));
        assertTrue(e.getMessage().startsWith("N must be"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ConfigValues.intVar(Map.of("N", "9999999999"), "N", 0));
    }
}
