package ai.sentx.local;

import static ai.sentx.local.Api.assertError;
import static ai.sentx.local.Api.chatBody;
import static ai.sentx.local.Api.expectedCost;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sentx.domain.LedgerEntry;
import ai.sentx.local.Api.Response;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The dashboard backend: account, balance, usage records with paging, filters and CSV. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AccountApiIT {
    private static LocalServer server;
    private static Api api;

    @BeforeAll
    static void start() {
        server = TestServers.start("SENTX_DEMO_BALANCE_CENTS", "25000");
        api = new Api(server);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    @Test
    void account_showsTheDemoAccountAndItsBalance() {
        Response r = api.account("GET", "/account", null);
        assertEquals(200, r.status(), r::toString);
        assertTrue(r.header("content-type").startsWith("application/json"));
        JsonNode a = r.json();
        assertEquals(LocalServer.DEMO_ACCOUNT.value(), a.get("id").asText());
        assertEquals(server.ledger().balance(LocalServer.DEMO_ACCOUNT), a.get("balance_cents").asLong());
        assertTrue(a.get("created_at").isIntegralNumber(), a::toString);
        assertEquals(a.get("balance_cents"), api.account("GET", "/account/balance", null).json().get("balance_cents"));
    }

    @Test
    void balance_dropsByExactlyTheChargedCost_andEqualsTheSumOfTheLedger() {
        long before = api.balance();
        Response r = api.chat(chatBody("word ".repeat(9_000)), "X-Include-Cost", "1");
        assertEquals(200, r.status(), r::toString);
        JsonNode usage = r.json().get("usage");
        long cost = usage.get("cost_cents").asLong();
        assertEquals(expectedCost(usage.get("prompt_tokens").asLong(), usage.get("completion_tokens").asLong()), cost);
        JsonNode after = api.account("GET", "/account/balance", null).json();
        assertEquals(before - cost, after.get("balance_cents").asLong(), "balance drop = cost_cents of " + usage);
        assertEquals(0, after.get("held_cents").asLong(), "the hold was settled");
        assertEquals(after.get("balance_cents").asLong(), server.ledger().entries(LocalServer.DEMO_ACCOUNT).stream()
                .mapToLong(LedgerEntry::amountCents).sum(), "balance = sum of the ledger");
        JsonNode record = api.usageRecord(r.header("x-request-id"));
        assertEquals(cost, record.get("cost_cents").asLong(), record::toString);
        assertEquals(usage.get("prompt_tokens"), record.get("prompt_tokens"));
        assertEquals(usage.get("completion_tokens"), record.get("completion_tokens"));
        assertEquals(usage.get("total_tokens"), record.get("total_tokens"));
    }

    @Test
    void usage_pagesNewestFirst_withLimitAfterAndHasMore() {
        String session = "paging-" + UUID.randomUUID();
        List<String> ids = send(5, session, null);
        List<String> newestFirst = ids.reversed();

        JsonNode p1 = page("session=" + session + "&limit=2");
        assertEquals(newestFirst.subList(0, 2), idsOf(p1));
        assertTrue(p1.get("has_more").asBoolean());
        JsonNode p2 = page("session=" + session + "&limit=2&after=" + newestFirst.get(1));
        assertEquals(newestFirst.subList(2, 4), idsOf(p2));
        assertTrue(p2.get("has_more").asBoolean());
        JsonNode p3 = page("session=" + session + "&limit=2&after=" + newestFirst.get(3));
        assertEquals(newestFirst.subList(4, 5), idsOf(p3));
        assertFalse(p3.get("has_more").asBoolean());
        JsonNode exact = page("session=" + session + "&limit=5");
        assertEquals(newestFirst, idsOf(exact));
        assertFalse(exact.get("has_more").asBoolean(), "a full last page has no more");

        JsonNode record = p1.get("data").get(0);
        for (String field : List.of("id", "time", "key_id", "key_hint", "user", "user_name", "session",
                "prompt_tokens", "completion_tokens", "total_tokens", "cost_cents")) {
            assertTrue(record.has(field), field + " in " + record);
        }
        assertEquals("key_demo", record.get("key_id").asText());
        String key = server.demoApiKey();
        assertEquals("sk-..." + key.substring(key.length() - 4), record.get("key_hint").asText());
        assertFalse(p1.toString().contains(key), "never the full key");
    }

    @Test
    void usage_filtersByKeyUserSessionAndTime() throws InterruptedException {
        String session = "filters-" + UUID.randomUUID();
        Response created = api.account("POST", "/account/keys", "{\"name\":\"filters\"}");
        assertEquals(201, created.status(), created::toString);
        String otherKeyId = created.json().get("id").asText();
        Api other = api.withKey(created.json().get("key").asText());

        Instant t0 = Instant.now();
        Thread.sleep(5);
        List<String> demoIds = send(2, session, "alice-" + session);
        List<String> otherIds = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Response r = other.chat(chatBody("other " + i).put("max_tokens", 2), "X-Session-Id", session,
                    "X-User-Id", "bob-" + session);
            assertEquals(200, r.status(), r::toString);
            otherIds.add(r.header("x-request-id"));
        }
        Thread.sleep(5);
        Instant t1 = Instant.now();

        assertEquals(5, api.usage("session=" + session).size());
        assertEquals(otherIds.reversed(), ids(api.usage("key_id=" + otherKeyId)));
        assertEquals(demoIds.reversed(), ids(api.usage("key_id=key_demo&session=" + session)));
        assertEquals(demoIds.reversed(), ids(api.usage("user=alice-" + session)));
        assertEquals(otherIds.reversed(), ids(api.usage("user=bob-" + session + "&session=" + session)));
        assertEquals(List.of(), ids(api.usage("user=bob-" + session + "&key_id=key_demo")));
        assertEquals(List.of(), ids(api.usage("session=no-such-session")));

        assertEquals(5, api.usage("session=" + session + "&from=" + t0 + "&to=" + t1).size());
        assertEquals(0, api.usage("session=" + session + "&from=" + t1).size(), "from is a lower bound");
        assertEquals(0, api.usage("session=" + session + "&to=" + t0).size(), "to is an upper bound");
        Instant middle = Instant.parse(api.usageRecord(otherIds.getFirst()).get("time").asText());
        assertEquals(otherIds.reversed(), ids(api.usage("session=" + session + "&from=" + middle)),
                "from is inclusive");
        assertEquals(demoIds.reversed(), ids(api.usage("session=" + session + "&to=" + middle)), "to is exclusive");
    }

    @Test
    void usage_exportsCsv_byFormatParameterOrAcceptHeader() {
        String session = "csv-" + UUID.randomUUID();
        List<String> ids = send(3, session, "csv-user");
        for (Response r : List.of(api.account("GET", "/account/usage?format=csv&session=" + session, null),
                api.account("GET", "/account/usage?session=" + session, null, "Accept", "text/csv"))) {
            assertEquals(200, r.status(), r::toString);
            assertTrue(r.header("content-type").startsWith("text/csv"), r.header("content-type"));
            String[] lines = r.body().split("\r\n");
            assertEquals(1 + ids.size(), lines.length, "a header row and one row per record: " + r.body());
            String[] header = lines[0].split(",");
            assertEquals("time", header[0]);
            int idColumn = List.of(header).indexOf("request_id");
            int costColumn = List.of(header).indexOf("cost_cents");
            assertTrue(idColumn >= 0 && costColumn >= 0, lines[0]);
            List<String> rowIds = new ArrayList<>();
            for (int i = 1; i < lines.length; i++) {
                String[] cells = lines[i].split(",", -1);
                assertEquals(header.length, cells.length, lines[i]);
                rowIds.add(cells[idColumn]);
                assertTrue(Long.parseLong(cells[costColumn]) >= 1, lines[i]);
            }
            assertEquals(ids.reversed(), rowIds);
        }
    }

    @Test
    void usage_withABadQuery_is400NamingTheParameter() {
        assertError(api.account("GET", "/account/usage?from=yesterday", null), 400, "invalid_parameter", "from");
        assertError(api.account("GET", "/account/usage?to=2026-13-45", null), 400, "invalid_parameter", "to");
        assertError(api.account("GET", "/account/usage?limit=0", null), 400, "invalid_parameter", "limit");
        assertError(api.account("GET", "/account/usage?limit=abc", null), 400, "invalid_parameter", "limit");
        assertError(api.account("GET", "/account/usage?limit=1001", null), 400, "invalid_parameter", "limit");
        assertError(api.account("GET", "/account/usage?user=%E0%A4", null), 400, "invalid_parameter", Api.ANY);
    }

    @Test
    void createKey_withAMissingOrBadName_is400() {
        assertError(api.account("POST", "/account/keys", "{}"), 400, "missing_required_parameter", "name");
        assertError(api.account("POST", "/account/keys", "{\"name\":7}"), 400, "invalid_parameter", "name");
        assertError(api.account("POST", "/account/keys", "{\"name\":\"   \"}"), 400, "invalid_parameter", "name");
        assertError(api.account("POST", "/account/keys", "{\"name\":\"" + "n".repeat(129) + "\"}"), 400,
                "invalid_parameter", "name");
        assertError(api.account("POST", "/account/keys", "not json"), 400, "invalid_json", null);
    }

    // ---- helpers ----

    /** Sends {@code n} small requests in order; returns their request ids, oldest first. */
    private static List<String> send(int n, String session, String user) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Response r = user == null
                    ? api.chat(chatBody("request " + i).put("max_tokens", 2), "X-Session-Id", session)
                    : api.chat(chatBody("request " + i).put("max_tokens", 2), "X-Session-Id", session, "X-User-Id", user);
            assertEquals(200, r.status(), r::toString);
            ids.add(r.header("x-request-id"));
        }
        return ids;
    }

    private static JsonNode page(String query) {
        Response r = api.account("GET", "/account/usage?" + query, null);
        assertEquals(200, r.status(), r::toString);
        return r.json();
    }

    private static List<String> idsOf(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.get("data").forEach(d -> ids.add(d.get("id").asText()));
        return ids;
    }

    private static List<String> ids(List<JsonNode> records) {
        return records.stream().map(r -> r.get("id").asText()).toList();
    }
}
