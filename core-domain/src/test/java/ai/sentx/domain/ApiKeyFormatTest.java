package ai.sentx.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class ApiKeyFormatTest {

    @Test
    void newKeysAreSkPlusAtLeast40UrlSafeCharactersAndUnique() {
        SecureRandom random = new SecureRandom();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String key = ApiKeyFormat.newKey(random);
            assertTrue(key.startsWith("sk-"));
            assertTrue(key.length() - 3 >= 40, key);
            assertTrue(key.substring(3).matches("[A-Za-z0-9_-]+"), key);
            assertTrue(ApiKeyFormat.isWellFormed(key));
            assertTrue(seen.add(key), "duplicate key");
        }
    }

    @Test
    void hintShowsOnlyTheLastFourCharacters() {
        assertEquals("sk-...wxyz", ApiKeyFormat.hint("sk-abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz"));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"sk-", "sk-short", "pk-0123456789012345678901234567890123456789",
            "sk-012345678901234567890123456789012345678!", "sk-0123456789 0123456789012345678901234567890",
            "SK-0123456789012345678901234567890123456789"})
    void malformedKeysAreRecognised(String candidate) {
        assertFalse(ApiKeyFormat.isWellFormed(candidate));
    }

    @Test
    void hashesAreKeyedAndComparedWholly() {
        KeyHasher a = new KeyHasher("a".repeat(32).getBytes(StandardCharsets.UTF_8));
        KeyHasher b = new KeyHasher("b".repeat(32).getBytes(StandardCharsets.UTF_8));
        String key = "sk-0123456789012345678901234567890123456789";
        assertEquals(a.hash(key), a.hash(key));
        assertNotEquals(a.hash(key), b.hash(key), "the hash must depend on the server secret");
        assertEquals(64, a.hash(key).length());
        assertTrue(KeyHasher.sameHash(a.hash(key), a.hash(key)));
        assertFalse(KeyHasher.sameHash(a.hash(key), b.hash(key)));
        assertThrows(IllegalArgumentException.class, () -> new KeyHasher(new byte[16]));
    }
}
