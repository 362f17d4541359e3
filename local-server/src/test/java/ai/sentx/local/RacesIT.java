package ai.sentx.local;

import static ai.sentx.local.Api.assertError;
import static ai.sentx.local.Api.chatBody;
import static ai.sentx.local.Api.streamBody;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sentx.domain.LedgerEntry;
import ai.sentx.local.Api.Response;
import ai.sentx.port.contract.Race;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Limits and money under concurrency, each against a dedicated server so that the counts are
 * exact. Every race is bounded in time ({@link Race}, and the class timeout).
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class RacesIT {

    // ---- (a) balance ----

    @Test
    void aBalanceOf5Cents_paysForExactly5OneCentRequests_outOf20Parallel_andNeverGoesNegative() {
        try (LocalServer server = TestServers.start("SENTX_DEMO_BALANCE_CENTS", "5")) {
            Api api = new Api(server);
            // A short prompt with max_tokens 5: the worst case is well under half a cent, so both
            // the hold and the charge are the 1-cent minimum.
            List<Response> results = Race.run(20,
                    i -> api.chat(chatBody("Hi").put("max_tokens", 5), "X-Include-Cost", "1"));
            long ok = results.stream().filter(r -> r.status() == 200).count();
            long costSum = 0;
            for (Response r : results) {
                if (r.status() == 200) {
                    JsonNode usage = r.json().get("usage");
                    assertEquals(1, usage.get("cost_cents").asLong(), usage::toString);
                    costSum += usage.get("cost_cents").asLong();
                } else {
                    assertError(r, 402, "insufficient_balance", null);
                    assertEquals("false", r.header("x-should-retry"), "402 is not retryable");
                }
            }
            assertEquals(5, ok, "exactly the 5 cents are spent, one per request: " + statuses(results));
            long balance = api.balance();
            assertTrue(balance >= 0, "never negative: " + balance);
            assertEquals(5 - costSum, balance, "balance = start - sum of cost_cents");
            List<LedgerEntry> entries = server.ledger().entries(LocalServer.DEMO_ACCOUNT);
            assertEquals(balance, entries.stream().mapToLong(LedgerEntry::amountCents).sum(),
                    "balance = sum of the ledger: " + entries);
            assertEquals(5, entries.stream().filter(e -> e.kind() == LedgerEntry.Kind.USAGE).count(), entries::toString);
            assertEquals(5, api.usage("").size(), "one usage record per billed request");
            assertEquals(0, api.account("GET", "/account/balance", null).json().get("held_cents").asLong());
        }
    }

    @Test
    void twentyParallelUnboundedRequests_onA5CentBalance_neverOverspend_andEveryChargeIsAccounted() {
        try (LocalServer server = TestServers.start("SENTX_DEMO_BALANCE_CENTS", "5")) {
            Api api = new Api(server);
            // No max_tokens: each worst case (16,384 output tokens) is worth more than the whole
            // balance, so every hold is cut down to what is left.
            List<Response> results = Race.run(20, i -> api.chat(chatBody("Hello " + i), "X-Include-Cost", "1"));
            long costSum = 0;
            int ok = 0;
            for (Response r : results) {
                if (r.status() == 200) {
                    ok++;
                    JsonNode usage = r.json().get("usage");
                    long cost = usage.get("cost_cents").asLong();
                    assertEquals(Api.expectedCost(usage.get("prompt_tokens").asLong(),
                            usage.get("completion_tokens").asLong()), cost, usage::toString);
                    costSum += cost;
                } else {
                    assertError(r, 402, "insufficient_balance", null);
                }
            }
            assertTrue(ok >= 1, statuses(results));
            long balance = server.ledger().balance(LocalServer.DEMO_ACCOUNT);
            assertTrue(balance >= 0, "never negative: " + balance);
            assertEquals(5 - costSum, balance, "balance = start - charged: " + statuses(results));
            assertEquals(balance, server.ledger().entries(LocalServer.DEMO_ACCOUNT).stream()
                    .mapToLong(LedgerEntry::amountCents).sum());
            assertEquals(ok, api.usage("").size());
            assertEquals(0, api.account("GET", "/account/balance", null).json().get("held_cents").asLong());
        }
    }

    @Test
    void aBalanceThatPaysForOnlyPartOfTheReply_lowersTheOutputBudget_andTheReplyEndsWithLength() {
        long balanceCents = 1;
        String text;
        long prompt;
        long natural;
        // Calibrate, on a rich server, a prompt that 1 cent pays for with little room left for output.
        try (LocalServer rich = TestServers.start()) {
            Api richApi = new Api(rich);
            int words = 4_880;
            JsonNode usage = null;
            for (int probe = 0; probe < 4; probe++) {
                usage = richApi.chat(chatBody("word ".repeat(words))).json().get("usage");
                long p = usage.get("prompt_tokens").asLong();
                if (p >= 4_880 && p <= 4_940) break;
                words += (int) (4_910 - p);
            }
            text = "word ".repeat(words);
            prompt = usage.get("prompt_tokens").asLong();
            natural = usage.get("completion_tokens").asLong();
        }
        long budget = 0;
        while (Api.expectedCost(prompt, budget + 1) <= balanceCents) budget++;
        assertTrue(Api.expectedCost(prompt, 0) <= balanceCents && budget < natural,
                "calibration: prompt " + prompt + ", budget " + budget + ", natural " + natural);

        try (LocalServer poor = TestServers.start("SENTX_DEMO_BALANCE_CENTS", Long.toString(balanceCents))) {
            Api api = new Api(poor);
            Response r = api.chat(chatBody(text), "X-Include-Cost", "1");
            assertEquals(200, r.status(), r::toString);
            JsonNode usage = r.json().get("usage");
            assertEquals(prompt, usage.get("prompt_tokens").asLong());
            assertEquals(budget, usage.get("completion_tokens").asLong(), "the output budget the balance pays for");
            assertEquals("length", r.json().get("choices").get(0).get("finish_reason").asText());
            assertEquals(balanceCents, usage.get("cost_cents").asLong());
            assertEquals(0, api.balance());
            assertError(api.chat(chatBody("Hi")), 402, "insufficient_balance", null);
        }
    }

    // ---- (b) requests per minute ----

    @Test
    void seventyParallelRequests_onOneKey_admitExactly60InAMinute() throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            waitUnlessSecondsRemainInTheMinute(3);
            Instant before = Instant.now();
            List<Response> results;
            try (LocalServer server = TestServers.start("SENTX_REQUESTS_PER_MINUTE", "60")) {
                Api api = new Api(server);
                results = Race.run(70, i -> api.get("/v1/models", api.key));
            }
            Instant after = Instant.now();
            if (!before.truncatedTo(ChronoUnit.MINUTES).equals(after.truncatedTo(ChronoUnit.MINUTES)) && attempt < 3) {
                continue; // the race straddled a UTC minute: two windows were counted; try again
            }
            assertEquals(before.truncatedTo(ChronoUnit.MINUTES), after.truncatedTo(ChronoUnit.MINUTES),
                    "the race ran within one minute");
            long admitted = results.stream().filter(r -> r.status() != 429).count();
            assertEquals(60, admitted, statuses(results));
            Set<Long> remaining = new HashSet<>();
            for (Response r : results) {
                Api.assertHasRateLimitHeaders(r);
                assertEquals("60", r.header("x-ratelimit-limit-requests"));
                if (r.status() == 429) {
                    assertError(r, 429, "rate_limit_exceeded", null);
                    assertEquals("0", r.header("x-ratelimit-remaining-requests"));
                    String retryAfter = r.header("retry-after");
                    assertNotNull(retryAfter, "Retry-After on a 429");
                    long seconds = Long.parseLong(retryAfter);
                    assertTrue(seconds >= 1 && seconds <= 60, retryAfter);
                    long resetMs = Api.goDurationMillis(r.header("x-ratelimit-reset-requests"));
                    assertTrue(Math.abs(seconds * 1000 - resetMs) <= 1000,
                            "Retry-After and x-ratelimit-reset-requests name the same moment: " + seconds + "s vs "
                                    + r.header("x-ratelimit-reset-requests"));
                } else {
                    assertEquals(200, r.status(), r::toString);
                    remaining.add(Long.parseLong(r.header("x-ratelimit-remaining-requests")));
                }
            }
            Set<Long> expected = new HashSet<>();
            for (long i = 0; i < 60; i++) expected.add(i);
            assertEquals(expected, remaining, "each admitted request saw its own remaining count 59..0");
            return;
        }
    }

    // ---- (c) concurrent streams ----

    @Test
    void sixParallelStreams_onOneKey_admitFive_andRefuseOneWith429AndRetryAfter() {
        try (LocalServer server = TestServers.start("SENTX_BUILTIN_TOKEN_DELAY_MS", "50")) {
            Api api = new Api(server);
            // 40 tokens at 50 ms: each admitted stream holds its slot for about 2 s, so all six overlap.
            List<Response> results = Race.run(6,
                    i -> api.chat(streamBody("Explain black holes in 2 paragraphs").put("max_tokens", 40)));
            List<Response> refused = results.stream().filter(r -> r.status() == 429).toList();
            assertEquals(1, refused.size(), statuses(results));
            Response r429 = refused.getFirst();
            assertError(r429, 429, "rate_limit_exceeded", null);
            assertNotNull(r429.header("retry-after"), "Retry-After on the refused stream");
            assertTrue(Long.parseLong(r429.header("retry-after")) >= 1);
            Api.assertHasRateLimitHeaders(r429);
            for (Response r : results) {
                if (r.status() == 429) continue;
                assertEquals(200, r.status(), r::toString);
                assertEquals(40, Sse.parse(r.body()).last().get("usage").get("completion_tokens").asLong());
            }
            Response after = api.chat(streamBody("Again").put("max_tokens", 2));
            assertEquals(200, after.status(), "the slots are free again once the streams end: " + after);
        }
    }

    @Test
    void streamsThatFailOrAreRefused_giveTheirSlotBack() {
        try (LocalServer server = TestServers.start("SENTX_BUILTIN_TOKEN_DELAY_MS", "20")) {
            Api api = new Api(server);
            for (int i = 0; i < 6; i++) {
                Response mid = api.chat(streamBody(ai.sentx.model.builtin.BuiltInBackend.FAIL_MID_STREAM));
                assertEquals(200, mid.status(), "mid-stream failure " + i + ": " + mid);
                assertTrue(Sse.parse(mid.body()).last().has("error"));
                assertError(api.chat(streamBody(ai.sentx.model.builtin.BuiltInBackend.FAIL_BEFORE_FIRST_TOKEN)), 502,
                        "upstream_error", null);
            }
            List<Response> streams = Race.run(5, i -> api.chat(streamBody("Parallel " + i).put("max_tokens", 20)));
            for (Response r : streams) assertEquals(200, r.status(), "all 5 slots are free: " + r);
        }
        try (LocalServer broke = TestServers.start("SENTX_DEMO_BALANCE_CENTS", "0")) {
            Api api = new Api(broke);
            for (int i = 0; i < 7; i++) {
                assertError(api.chat(streamBody("Hi")), 402, "insufficient_balance", null);
            }
        }
    }

    // ---- (d) keys ----

    @Test
    void keyCreation_isLimitedTo5PerHour_andThe6thIs429NotToBeRetried() {
        Instant before = Instant.now();
        try (LocalServer server = TestServers.start()) {
            Api api = new Api(server);
            List<String> keys = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                Response created = api.account("POST", "/account/keys", "{\"name\":\"key " + i + "\"}");
                assertEquals(201, created.status(), created::toString);
                keys.add(created.json().get("key").asText());
            }
            Response sixth = api.account("POST", "/account/keys", "{\"name\":\"one too many\"}");
            Assumptions.assumeTrue(before.truncatedTo(ChronoUnit.HOURS)
                    .equals(Instant.now().truncatedTo(ChronoUnit.HOURS)), "the test straddled a UTC hour");
            assertError(sixth, 429, "rate_limit_exceeded", null);
            assertEquals("false", sixth.header("x-should-retry"));
            assertNotNull(sixth.header("retry-after"));
            long retryAfter = Long.parseLong(sixth.header("retry-after"));
            assertTrue(retryAfter >= 1 && retryAfter <= 3600, "until the next hour: " + retryAfter);
            assertEquals(6, listedKeys(api).size(), "the demo key and the 5 created");
            assertFalse(sixth.body().contains("sk-"), sixth::toString);
        }
    }

    @Test
    void tenParallelKeyCreations_createExactly5_underTheHourlyLimit() {
        Instant before = Instant.now();
        try (LocalServer server = TestServers.start()) {
            Api api = new Api(server);
            List<Response> results = Race.run(10,
                    i -> api.account("POST", "/account/keys", "{\"name\":\"parallel " + i + "\"}"));
            Assumptions.assumeTrue(before.truncatedTo(ChronoUnit.HOURS)
                    .equals(Instant.now().truncatedTo(ChronoUnit.HOURS)), "the test straddled a UTC hour");
            assertEquals(5, results.stream().filter(r -> r.status() == 201).count(), statuses(results));
            for (Response r : results) {
                if (r.status() != 201) assertError(r, 429, "rate_limit_exceeded", null);
            }
            assertEquals(6, listedKeys(api).size());
        }
    }

    @Test
    void tenParallelKeyCreations_with20ActiveKeys_stopAt25() {
        try (LocalServer server = TestServers.start("SENTX_KEY_CREATIONS_PER_HOUR", "100")) {
            Api api = new Api(server);
            for (int i = 0; i < 19; i++) {
                assertEquals(201, api.account("POST", "/account/keys", "{\"name\":\"k" + i + "\"}").status());
            }
            assertEquals(20, listedKeys(api).size());
            List<Response> results = Race.run(10,
                    i -> api.account("POST", "/account/keys", "{\"name\":\"parallel " + i + "\"}"));
            assertEquals(5, results.stream().filter(r -> r.status() == 201).count(), statuses(results));
            for (Response r : results) {
                if (r.status() != 201) {
                    assertError(r, 409, "max_keys_reached", null);
                    assertEquals("false", r.header("x-should-retry"));
                }
            }
            assertEquals(25, listedKeys(api).size());
        }
    }

    @Test
    void anAccountHoldsAtMost25ActiveKeys_the26thIs409NotToBeRetried_untilOneIsRevoked() {
        try (LocalServer server = TestServers.start("SENTX_KEY_CREATIONS_PER_HOUR", "100")) {
            Api api = new Api(server);
            List<JsonNode> created = new ArrayList<>();
            for (int i = 0; i < 24; i++) { // the demo key is the 25th
                Response r = api.account("POST", "/account/keys", "{\"name\":\"key " + i + "\"}");
                assertEquals(201, r.status(), r::toString);
                created.add(r.json());
            }
            assertEquals(25, listedKeys(api).size());
            Response full = api.account("POST", "/account/keys", "{\"name\":\"26th\"}");
            assertError(full, 409, "max_keys_reached", null);
            assertEquals("false", full.header("x-should-retry"));

            String revokedId = created.getFirst().get("id").asText();
            Response revoked = api.account("DELETE", "/account/keys/" + revokedId, null);
            assertEquals(200, revoked.status(), revoked::toString);
            assertEquals(24, listedKeys(api).size());
            Response again = api.account("POST", "/account/keys", "{\"name\":\"replacement\"}");
            assertEquals(201, again.status(), "a revoked key frees its place: " + again);
            assertError(api.account("POST", "/account/keys", "{\"name\":\"27th\"}"), 409, "max_keys_reached", null);
        }
    }

    @Test
    void aCreatedKeyIsShownOnce_listedOnlyByItsHint_andARevokedKeyIsRefusedAtOnce() {
        try (LocalServer server = TestServers.start()) {
            Api api = new Api(server);
            Response created = api.account("POST", "/account/keys", "{\"name\":\"ci\"}");
            assertEquals(201, created.status(), created::toString);
            JsonNode k = created.json();
            String key = k.get("key").asText();
            assertTrue(key.startsWith("sk-") && key.length() >= 43, key);
            assertTrue(key.substring(3).matches("[A-Za-z0-9_-]+"), key);
            assertEquals("sk-..." + key.substring(key.length() - 4), k.get("hint").asText());
            assertEquals("ci", k.get("name").asText());
            assertTrue(k.get("created_at").isIntegralNumber(), k::toString);
            String id = k.get("id").asText();
            assertFalse(id.isBlank());

            Api withKey = api.withKey(key);
            assertEquals(200, withKey.get("/v1/models", key).status(), "the new key works");
            Response chat = withKey.chat(chatBody("Hi").put("max_tokens", 2));
            assertEquals(200, chat.status(), chat::toString);

            Response list = api.account("GET", "/account/keys", null);
            assertEquals(200, list.status(), list::toString);
            assertFalse(list.body().contains(key), "the list never holds the full key");
            assertFalse(list.body().contains(server.demoApiKey()), "nor the demo key");
            assertFalse(list.body().contains(key.substring(3, 20)), "nor any long part of it");
            JsonNode listed = null;
            for (JsonNode entry : list.json().get("data")) {
                assertFalse(entry.has("key"), entry::toString);
                if (entry.get("id").asText().equals(id)) listed = entry;
            }
            assertNotNull(listed, list::toString);
            assertEquals(k.get("hint"), listed.get("hint"));
            assertTrue(listed.get("last_used_at").isIntegralNumber(), "used just now: " + listed);

            Response revoke = api.account("DELETE", "/account/keys/" + id, null);
            assertEquals(200, revoke.status(), revoke::toString);
            assertTrue(listedKeys(api).stream().noneMatch(e -> e.get("id").asText().equals(id)),
                    "a revoked key leaves the list");
            assertError(withKey.get("/v1/models", key), 401, "invalid_api_key", null);
            assertError(withKey.chat(chatBody("Hi")), 401, "invalid_api_key", null);
            assertError(api.account("DELETE", "/account/keys/key_doesnotexist", null), 404, "not_found", null);
        }
    }

    // ---- helpers ----

    private static List<JsonNode> listedKeys(Api api) {
        Response r = api.account("GET", "/account/keys", null);
        assertEquals(200, r.status(), r::toString);
        List<JsonNode> out = new ArrayList<>();
        r.json().get("data").forEach(out::add);
        return out;
    }

    private static String statuses(List<Response> results) {
        return results.stream().map(r -> Integer.toString(r.status())).toList().toString();
    }

    private static void waitUnlessSecondsRemainInTheMinute(int seconds) throws InterruptedException {
        Instant now = Instant.now();
        Instant nextMinute = now.truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1));
        Duration left = Duration.between(now, nextMinute);
        if (left.compareTo(Duration.ofSeconds(seconds)) < 0) Thread.sleep(left.toMillis() + 50);
    }
}
