package ai.sentx.application;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SecureRandomIdsTest {
    private final SecureRandomIds ids = new SecureRandomIds();

    @Test
    void anIdIsThePrefixAnd24Base62Characters() {
        for (int i = 0; i < 1000; i++) {
            String id = ids.next("file-");
            assertTrue(id.matches("file-[0-9A-Za-z]{24}"), id);
        }
    }

    @Test
    void idsDoNotRepeat_andEveryCharacterOfTheAlphabetAppearsEvenly() {
        Set<String> seen = new HashSet<>();
        int[] counts = new int[128];
        int draws = 20_000;
        for (int i = 0; i < draws; i++) {
            String id = ids.next("");
            assertTrue(seen.add(id));
            for (char c : id.toCharArray()) counts[c]++;
        }
        // 480,000 characters over 62 symbols: about 7,742 each; a biased mapping (e.g. v % 62 over
        // all 256 byte values) would give the first 8 symbols ~25 % more.
        double expected = draws * 24 / 62.0;
        for (char c : "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray()) {
            assertTrue(Math.abs(counts[c] - expected) < expected * 0.06, c + ": " + counts[c] + " vs " + expected);
        }
        assertEquals(draws, seen.size());
    }
}
