package ai.sentx.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PricingTest {

    @ParameterizedTest(name = "{0} in + {1} out = {2} cents ({3})")
    @CsvSource({
            "0, 0, 1, zero tokens still cost the minimum",
            "1, 0, 1, one input token",
            "0, 499, 1, 0.499 cents rounds down then the minimum applies",
            "0, 500, 1, exactly 0.5 cent rounds half up to 1",
            "0, 1499, 1, 1.499 cents",
            "0, 1500, 2, exactly 1.5 cents rounds half up",
            "1000, 1000, 1, 0.3 + 1.0 = 1.3 cents",
            "4999, 1000, 2, 1.4997 + 1.0 = 2.4997 cents",
            "5000, 1000, 3, 1.5 + 1.0 = 2.5 cents rounds half up",
            "1000000, 0, 300, one million input tokens",
            "0, 1000000, 500, one million output tokens hits the cap exactly",
            "0, 499499, 499, 499.499 cents",
            "0, 499500, 500, exactly 499.5 cents rounds to 500",
            "1665000, 0, 500, 499.5 cents of input",
            "1664998, 0, 499, 499.4994 cents of input",
            "0, 10000000, 500, far above the cap",
            "9223372036854775807, 9223372036854775807, 500, no overflow at the largest counts"
    })
    void costFollowsTheContractFormula(long prompt, long completion, long cents, String why) {
        assertEquals(cents, Pricing.costCents(prompt, completion), why);
    }

    @Test
    void negativeCountsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> Pricing.costCents(-1, 0));
        assertThrows(IllegalArgumentException.class, () -> Pricing.costCents(0, -1));
    }

    @Test
    void costMatchesAnExactReferenceComputation() {
        for (long p = 0; p < 40_000; p += 97) {
            for (long c = 0; c < 40_000; c += 89) {
                java.math.BigDecimal micro = java.math.BigDecimal.valueOf(p * 300 + c * 1000);
                long reference = micro.divide(java.math.BigDecimal.valueOf(1_000_000), 0, java.math.RoundingMode.HALF_UP)
                        .longValueExact();
                reference = Math.max(1, Math.min(500, reference));
                assertEquals(reference, Pricing.costCents(p, c), p + " in, " + c + " out");
            }
        }
    }

    @ParameterizedTest(name = "{0} cents available, {1} in, {2} wanted -> {3}")
    @CsvSource({
            "0, 10, 100, -1",
            "1, 10, 100, 100",
            "1, 10, 100000, 1496",
            "2, 0, 100000, 2499",
            "500, 0, 16384, 16384",
            "3, 5000, 100000, 1999",
            "1, 1700, 100000, 989",
            "1, 5000, 10, -1",
            "499, 0, 10000000, 499499",
            "500, 100000000, 16384, 16384"
    })
    void affordableOutputTokensTable(long available, long prompt, long wanted, long expected) {
        assertEquals(expected, Pricing.affordableOutputTokens(available, prompt, wanted));
    }

    @Test
    void affordableOutputTokensIsTheLargestBudgetTheBalancePays() {
        for (long available = 0; available <= 520; available += 1) {
            for (long prompt : new long[] {0, 1, 1666, 1667, 5000, 123_457, 1_665_000, 2_000_000}) {
                long wanted = 16_384 * 40;
                long got = Pricing.affordableOutputTokens(available, prompt, wanted);
                if (got < 0) {
                    assertTrue(Pricing.costCents(prompt, 0) > available, "refused although the input is affordable");
                    continue;
                }
                assertTrue(got <= wanted);
                assertTrue(Pricing.costCents(prompt, got) <= available, "over budget at " + available + "/" + prompt);
                if (got < wanted) {
                    assertTrue(Pricing.costCents(prompt, got + 1) > available, "not maximal at " + available + "/" + prompt);
                }
            }
        }
    }
}
