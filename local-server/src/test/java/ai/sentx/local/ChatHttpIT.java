package ai.sentx.local;

import static ai.sentx.local.Api.assertError;
import static ai.sentx.local.Api.assertHasRateLimitHeaders;
import static ai.sentx.local.Api.chatBody;
import static ai.sentx.local.Api.expectedCost;
import static ai.sentx.local.Api.streamBody;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sentx.domain.LedgerEntry;
import ai.sentx.local.Api.Response;
import ai.sentx.model.builtin.BuiltInBackend;
import ai.sentx.port.contract.Race;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code /v1/chat/completions} over raw HTTP: the exact SSE framing, headers, cost, end-user
 * identity, failure paths, and the timing properties of streams (flushing, keep-alive, client
 * disconnect) read through a plain socket.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ChatHttpIT {
    private static final String QUESTION = "What is the capital of France?";
    private static LocalServer server;
    private static Api api;

    @BeforeAll
    static void start() {
        server = TestServers.start();
        api = new Api(server);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    // ---- SSE framing ----

    @Test
    void stream_isOnlyDataEvents_fromAnAssistantRoleChunk_toDone() {
        Response r = api.chat(streamBody(QUESTION));
        assertEquals(200, r.status(), r::toString);
        assertTrue(r.header("content-type").startsWith("text/event-stream"), r.header("content-type"));
        Sse sse = Sse.parse(r.body());
        assertTrue(sse.comments().isEmpty(), "no keep-alive on a fast stream: " + sse.comments());
        List<JsonNode> chunks = sse.chunks();
        assertTrue(chunks.size() >= 3, "role, content and final chunks: " + chunks.size());
        String id = chunks.getFirst().get("id").asText();
        assertTrue(id.startsWith("chatcmpl-"), id);
        for (int i = 0; i < chunks.size(); i++) {
            JsonNode c = chunks.get(i);
            String where = "chunk " + i + ": " + c;
            assertEquals(id, c.get("id").asText(), where);
            assertEquals("chat.completion.chunk", c.get("object").asText(), where);
            assertEquals("sentx-v1", c.get("model").asText(), where);
            assertTrue(c.get("created").isIntegralNumber(), where);
            assertFalse(c.has("error"), "never an error key on a normal chunk: " + where);
            assertEquals(1, c.get("choices").size(), "one choice in default mode: " + where);
            JsonNode choice = c.get("choices").get(0);
            assertEquals(0, choice.get("index").asInt(), where);
            assertTrue(choice.has("logprobs") && choice.get("logprobs").isNull(), where);
            assertTrue(choice.has("finish_reason"), where);
            JsonNode delta = choice.get("delta");
            if (i == 0) {
                assertEquals(Api.parse("{\"role\":\"assistant\",\"content\":\"\"}"), delta, where);
            } else if (i < chunks.size() - 1) {
                assertFalse(delta.has("role"), "role only on the first chunk: " + where);
                assertEquals(1, delta.size(), where);
                assertTrue(delta.get("content").isTextual() && !delta.get("content").asText().isEmpty(), where);
            }
            if (i < chunks.size() - 1) {
                assertTrue(choice.get("finish_reason").isNull(), where);
                assertTrue(!c.has("usage") || c.get("usage").isNull(), "usage only on the last chunk: " + where);
            }
        }
        JsonNode last = sse.last();
        JsonNode choice = last.get("choices").get(0);
        assertEquals(0, choice.get("delta").size(), "final delta is {}: " + last);
        assertEquals("stop", choice.get("finish_reason").asText());
        JsonNode usage = last.get("usage");
        assertNotNull(usage, "the final chunk carries usage: " + last);
        assertEquals(usage.get("prompt_tokens").asLong() + usage.get("completion_tokens").asLong(),
                usage.get("total_tokens").asLong());
        assertFalse(usage.has("cost_cents"), "no cost without X-Include-Cost");

        Response plain = api.chat(chatBody(QUESTION));
        assertEquals(200, plain.status(), plain::toString);
        JsonNode completion = plain.json();
        assertEquals(completion.get("choices").get(0).get("message").get("content").asText(), sse.text(),
                "the stream's deltas concatenate to the non-stream reply");
        assertEquals(completion.get("usage"), usage, "the same usage in both modes");
    }

    @Test
    void stream_withIncludeUsage_hasNullUsageOnEveryChunk_andEndsWithAChoicelessUsageChunk() {
        ObjectNode body = streamBody(QUESTION);
        body.putObject("stream_options").put("include_usage", true);
        Response r = api.chat(body, "X-Include-Cost", "1");
        assertEquals(200, r.status(), r::toString);
        Sse sse = Sse.parse(r.body());
        List<JsonNode> chunks = sse.chunks();
        for (int i = 0; i < chunks.size() - 1; i++) {
            JsonNode c = chunks.get(i);
            assertTrue(c.has("usage") && c.get("usage").isNull(), "\"usage\":null on chunk " + i + ": " + c);
            assertEquals(1, c.get("choices").size(), "chunk " + i + ": " + c);
            assertFalse(c.has("error"));
        }
        JsonNode finish = chunks.get(chunks.size() - 2);
        assertEquals("stop", finish.get("choices").get(0).get("finish_reason").asText(), finish::toString);
        assertEquals(0, finish.get("choices").get(0).get("delta").size(), finish::toString);
        JsonNode last = sse.last();
        assertTrue(last.get("choices").isArray() && last.get("choices").isEmpty(), "\"choices\":[]: " + last);
        assertEquals(chunks.getFirst().get("id"), last.get("id"));
        assertEquals("chat.completion.chunk", last.get("object").asText());
        JsonNode usage = last.get("usage");
        assertTrue(usage.isObject(), last::toString);
        long p = usage.get("prompt_tokens").asLong();
        long c = usage.get("completion_tokens").asLong();
        assertEquals(p + c, usage.get("total_tokens").asLong());
        assertEquals(expectedCost(p, c), usage.get("cost_cents").asLong(), "cost_cents in include_usage mode");
    }

    @Test
    void stream_isServed_toAClientThatAcceptsOnlyJson() {
        Response r = api.chat(streamBody(QUESTION), "Accept", "application/json");
        assertEquals(200, r.status(), r::toString);
        assertTrue(r.header("content-type").startsWith("text/event-stream"));
        assertFalse(Sse.parse(r.body()).text().isEmpty());
    }

    // ---- usage and cost ----

    @Test
    void usage_countsExactlyTheTokensSentToAndProducedByTheModel() {
        Encoding o200k = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);
        String text = "Count me precisely, please: 42 apples and 7 pears.";
        Response r = api.chat(chatBody(text));
        assertEquals(200, r.status(), r::toString);
        JsonNode usage = r.json().get("usage");
        // CONTRACT §4: exact counts of what was sent (the safety instructions first) and produced.
        long expectedPrompt = 3
                + 3 + o200k.countTokensOrdinary("system") + o200k.countTokensOrdinary(LocalConfig.DEFAULT_SAFETY)
                + 3 + o200k.countTokensOrdinary("user") + o200k.countTokensOrdinary(text);
        String content = r.json().get("choices").get(0).get("message").get("content").asText();
        assertEquals(expectedPrompt, usage.get("prompt_tokens").asLong(), "prompt tokens");
        assertEquals(o200k.countTokensOrdinary(content), usage.get("completion_tokens").asLong(), "completion tokens");
    }

    @Test
    void usage_countsAnInlineImageByOpenAisHighDetailTileRule_orLowDetail() {
        long textOnly = imagePromptTokens(null, null);
        assertEquals(85 + 170, imagePromptTokens(pngHeader(1, 1), null) - textOnly, "1x1: one tile");
        assertEquals(85 + 170 * 4, imagePromptTokens(pngHeader(1024, 1024), null) - textOnly, "1024x1024: 2x2 tiles");
        // 2048x4096 fits 1024x2048, then its short side is scaled to 768: 768x1536 is 2x3 tiles.
        assertEquals(85 + 170 * 6, imagePromptTokens(pngHeader(2048, 4096), null) - textOnly, "2048x4096");
        assertEquals(85, imagePromptTokens(pngHeader(2048, 4096), "low") - textOnly, "detail low is 85");
    }

    @Test
    void maxCompletionTokens_winsOverMaxTokens() {
        ObjectNode body = chatBody(QUESTION).put("max_tokens", 3).put("max_completion_tokens", 5);
        Response r = api.chat(body);
        assertEquals(5, r.json().get("usage").get("completion_tokens").asLong(), r::toString);
        assertEquals("length", r.json().get("choices").get(0).get("finish_reason").asText());
    }

    @Test
    void everyOpenAiRequestFieldAndRole_isAccepted() {
        String body = """
                {"model":"gpt-4o","messages":[
                  {"role":"system","content":"Be brief.","name":"sys"},
                  {"role":"developer","content":[{"type":"text","text":"Use plain words."}]},
                  {"role":"user","content":[{"type":"text","text":"Weather in Paris?"}],"name":"alice"},
                  {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function",
                    "function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}}]},
                  {"role":"tool","tool_call_id":"call_1","content":"18 C, sunny"},
                  {"role":"function","name":"get_weather","content":"18 C"},
                  {"role":"assistant","content":[{"type":"refusal","refusal":"I cannot."}]},
                  {"role":"user","content":[{"type":"file","file":{"file_data":"data:text/plain;base64,aGVsbG8=","filename":"a.txt"}},
                                            {"type":"text","text":"And tomorrow?"}]}],
                 "max_tokens":4,"temperature":0.2,"top_p":0.9,"presence_penalty":0.5,"frequency_penalty":-0.5,
                 "seed":7,"n":1,"stop":["\\n\\n"],"logprobs":false,"top_logprobs":null,"parallel_tool_calls":true,
                 "tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object"}}}],
                 "tool_choice":"auto","response_format":{"type":"json_object"},"user":"u-1","safety_identifier":"s-1",
                 "metadata":{"k":"v"},"store":false,"stream":false,"logit_bias":{"50256":-100},"service_tier":"auto"}
                """;
        Response r = api.chat(body);
        assertEquals(200, r.status(), r::toString);
        assertEquals("sentx-v1", r.json().get("model").asText(), "any model name is answered as sentx-v1");
    }

    @Test
    void includeCostHeader_addsCostCentsByTheFormula_inBothModes_andOnlyWhenAsked() {
        // A long prompt, so the cost is more than the 1-cent minimum and rounding matters.
        String longText = "token ".repeat(20_000);
        long before = api.balance();
        Response plain = api.chat(chatBody(longText), "X-Include-Cost", "1");
        assertEquals(200, plain.status(), plain::toString);
        JsonNode usage = plain.json().get("usage");
        long p = usage.get("prompt_tokens").asLong();
        long c = usage.get("completion_tokens").asLong();
        long cost = usage.get("cost_cents").asLong();
        assertTrue(usage.get("cost_cents").isIntegralNumber(), usage::toString);
        assertEquals(expectedCost(p, c), cost, "cost of " + usage);
        assertTrue(cost > 1, "the long prompt costs more than the minimum: " + usage);
        assertEquals(before - cost, api.balance(), "the balance drops by exactly cost_cents");

        Response stream = api.chat(streamBody(longText), "X-Include-Cost", "1");
        JsonNode streamUsage = Sse.parse(stream.body()).last().get("usage");
        assertEquals(usage, streamUsage, "the same usage and cost in a stream");

        Response noHeader = api.chat(chatBody(longText));
        assertFalse(noHeader.json().get("usage").has("cost_cents"), noHeader::toString);
        Response noHeaderStream = api.chat(streamBody(longText));
        assertFalse(Sse.parse(noHeaderStream.body()).last().get("usage").has("cost_cents"));
    }

    // ---- headers ----

    @Test
    void everyV1Response_carriesARequestIdAndTheRateLimitHeaders_errorsAndStreamsIncluded() {
        Map<String, Response> responses = new LinkedHashMap<>();
        responses.put("200 json", api.chat(chatBody(QUESTION)));
        responses.put("200 stream", api.chat(streamBody(QUESTION)));
        responses.put("200 models", api.get("/v1/models", api.key));
        responses.put("400", api.chat("{not json"));
        responses.put("401", api.get("/v1/models", TestServers.newKey()));
        responses.put("401 no auth", api.get("/v1/models", null));
        responses.put("404 route", api.get("/v1/nothing-here", api.key));
        responses.put("404 model", api.get("/v1/models/gpt-unknown", api.key));
        responses.put("405", api.get("/v1/chat/completions", api.key));
        responses.put("502", api.chat(chatBody(BuiltInBackend.FAIL_BEFORE_FIRST_TOKEN)));
        Set<String> ids = new HashSet<>();
        assertAll(responses.entrySet().stream().map(e -> () -> {
            assertHasRateLimitHeaders(e.getValue());
            assertTrue(ids.add(e.getValue().header("x-request-id")), "request ids are unique: " + e.getKey());
        }));
        assertEquals("100000", responses.get("200 json").header("x-ratelimit-limit-requests"));
        assertEquals(200, responses.get("200 stream").status(), "stream status");

        Response first = api.get("/v1/models", api.key);
        Response second = api.get("/v1/models", api.key);
        long r1 = Long.parseLong(first.header("x-ratelimit-remaining-requests"));
        long r2 = Long.parseLong(second.header("x-ratelimit-remaining-requests"));
        long reset1 = Api.goDurationMillis(first.header("x-ratelimit-reset-requests"));
        long reset2 = Api.goDurationMillis(second.header("x-ratelimit-reset-requests"));
        if (reset2 <= reset1) { // same minute window
            assertEquals(r1 - 1, r2, "each request uses one of the minute's requests");
        }
    }

    @Test
    void nonV1Responses_carryARequestIdToo() {
        Api.assertRequestId(api.get("/health", null));
        Api.assertRequestId(api.account("GET", "/account", null));
        Api.assertRequestId(api.get("/nowhere", null));
    }

    // ---- end-user identity ----

    @Test
    void endUserIdentity_fromBodyOrHeaders_headerWins_isStoredDecoded_andCanBeFilteredAndExported() {
        String session = "conv-" + UUID.randomUUID();
        ObjectNode fromBody = chatBody("Hello");
        fromBody.put("user", "user-42").put("user_name", "Alex");
        Response a = api.chat(fromBody, "X-Session-Id", session);
        assertEquals(200, a.status(), a::toString);

        ObjectNode both = chatBody("Hello again");
        both.put("user", "body-user").put("user_name", "Body Name");
        Response b = api.chat(both, "X-Session-Id", session, "X-User-Id", "header-user", "X-User-Name", "Al%C3%A9x");
        assertEquals(200, b.status(), b::toString);

        Response c = api.chat(chatBody("Hi"), "X-Session-Id", session, "X-User-Id", "J%C3%BCrgen-" + session);
        assertEquals(200, c.status(), c::toString);

        JsonNode ra = api.usageRecord(a.header("x-request-id"));
        JsonNode rb = api.usageRecord(b.header("x-request-id"));
        JsonNode rc = api.usageRecord(c.header("x-request-id"));
        assertNotNull(ra, "usage record of the first request");
        assertEquals("user-42", ra.get("user").asText());
        assertEquals("Alex", ra.get("user_name").asText());
        assertEquals(session, ra.get("session").asText());
        assertEquals("header-user", rb.get("user").asText(), "the header wins over the body");
        assertEquals("Aléx", rb.get("user_name").asText(), "percent-decoded as UTF-8");
        assertEquals("Jürgen-" + session, rc.get("user").asText());
        assertTrue(rc.get("user_name").isNull(), rc::toString);

        List<JsonNode> bySession = api.usage("session=" + session);
        assertEquals(3, bySession.size(), bySession::toString);
        List<JsonNode> byUser = api.usage("user=header-user&session=" + session);
        assertEquals(1, byUser.size(), byUser::toString);
        assertEquals(b.header("x-request-id"), byUser.getFirst().get("id").asText());
        List<JsonNode> byEncodedUser = api.usage("user=J%C3%BCrgen-" + session);
        assertEquals(1, byEncodedUser.size(), byEncodedUser::toString);

        Response csv = api.account("GET", "/account/usage?format=csv&session=" + session, null);
        assertEquals(200, csv.status(), csv::toString);
        assertTrue(csv.header("content-type").startsWith("text/csv"), csv.header("content-type"));
        String[] lines = csv.body().split("\r\n");
        assertEquals(4, lines.length, "header and three rows: " + csv.body());
        assertTrue(lines[0].startsWith("time,request_id,"), lines[0]);
        String rowB = List.of(lines).stream().filter(l -> l.contains(b.header("x-request-id"))).findFirst()
                .orElseThrow();
        assertTrue(rowB.contains(",header-user,Aléx," + session + ","), rowB);
    }

    @Test
    void identityHeaders_sentAsRawLatin1Bytes_keepTheirMeaning() throws IOException {
        String session = "latin1-" + UUID.randomUUID();
        String requestId;
        try (RawHttp http = new RawHttp(api.origin)) {
            byte[] body = Api.write(chatBody("Hello").put("max_tokens", 1)).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            Map<String, String> h = new LinkedHashMap<>();
            h.put("Authorization", "Bearer " + api.key);
            h.put("Content-Type", "application/json");
            h.put("Content-Length", Integer.toString(body.length));
            h.put("X-User-Name", "Zo\u00eb M\u00fcller"); // written as ISO-8859-1 bytes EB, FC
            h.put("X-Session-Id", session);
            http.send("POST", "/v1/chat/completions", h, body);
            RawHttp.Head head = http.readHead();
            http.readBody(head);
            assertEquals(200, head.status());
            requestId = head.header("x-request-id");
        }
        JsonNode record = api.usageRecord(requestId);
        assertEquals("Zo\u00eb M\u00fcller", record.get("user_name").asText(), record::toString);
    }

    // ---- stop sequences ----

    @Test
    void stopSequences_endTheReplyJustBeforeTheFirstMatch_inBothModes() {
        String prompt = "Explain stop sequences in 2 paragraphs";
        String natural = api.chat(chatBody(prompt)).json().get("choices").get(0).get("message").get("content")
                .asText();
        assertTrue(natural.length() > 200, natural);
        String stop = natural.substring(natural.length() / 2, natural.length() / 2 + 6);
        String expected = natural.substring(0, natural.indexOf(stop));
        String laterStop = natural.substring(natural.length() - 8);

        ObjectNode single = chatBody(prompt).put("stop", stop);
        Response r = api.chat(single);
        JsonNode choice = r.json().get("choices").get(0);
        assertEquals(expected, choice.get("message").get("content").asText());
        assertEquals("stop", choice.get("finish_reason").asText());

        ObjectNode many = chatBody(prompt);
        many.putArray("stop").add("never-in-the-reply-zzz").add(laterStop).add(stop);
        assertEquals(expected, api.chat(many).json().get("choices").get(0).get("message").get("content").asText(),
                "the earliest of several stop sequences wins");

        ObjectNode streamed = streamBody(prompt).put("stop", stop);
        Sse sse = Sse.parse(api.chat(streamed).body());
        assertEquals(expected, sse.text());
        assertEquals("stop", sse.last().get("choices").get(0).get("finish_reason").asText());
    }

    // ---- routes ----

    @Test
    void unknownRoutes_are404_andWrongMethods_are405_inTheErrorEnvelope() {
        assertError(api.get("/nowhere", null), 404, "not_found", null);
        assertError(api.get("/v1/nothing-here", api.key), 404, "not_found", null);
        Response r405 = api.get("/v1/chat/completions", api.key);
        assertError(r405, 405, "method_not_allowed", null);
        assertEquals("POST", r405.header("allow"));
        assertError(api.send("DELETE", "/health", null, null), 405, "method_not_allowed", null);
        assertError(api.send("POST", "/v1/models", api.key, "{}"), 405, "method_not_allowed", null);
        assertError(api.account("POST", "/account", "{}"), 405, "method_not_allowed", null);
    }

    @Test
    void models_areListedAndRetrievable_evenByAPercentEncodedId() {
        Response list = api.get("/v1/models", api.key);
        assertEquals(200, list.status(), list::toString);
        JsonNode data = list.json().get("data");
        assertEquals("list", list.json().get("object").asText());
        assertEquals(1, data.size(), list::toString);
        JsonNode model = data.get(0);
        assertEquals("sentx-v1", model.get("id").asText());
        assertEquals("model", model.get("object").asText());
        assertTrue(model.get("created").isIntegralNumber() && model.get("owned_by").isTextual(), model::toString);
        Response encoded = api.get("/v1/models/sentx%2Dv1", api.key);
        assertEquals(200, encoded.status(), encoded::toString);
        assertEquals(model, encoded.json());
        assertError(api.get("/v1/models/org%2Fsentx-v1", api.key), 404, "model_not_found", "model");
    }

    @Test
    void aClientThatExpects100Continue_isToldToSendItsBody() throws IOException {
        byte[] body = Api.write(chatBody("Hello").put("max_tokens", 2)).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try (RawHttp http = new RawHttp(api.origin)) {
            http.readTimeout(5_000);
            Map<String, String> h = new LinkedHashMap<>();
            h.put("Authorization", "Bearer " + api.key);
            h.put("Content-Type", "application/json");
            h.put("Content-Length", Integer.toString(body.length));
            h.put("Expect", "100-continue");
            http.send("POST", "/v1/chat/completions", h, null);
            assertEquals(100, http.readHead().status(), "100 Continue before the body (curl sends Expect for large bodies)");
            http.output().write(body);
            http.output().flush();
            RawHttp.Head head = http.readHead();
            String reply = new String(http.readBody(head), java.nio.charset.StandardCharsets.UTF_8);
            assertEquals(200, head.status(), reply);
        }
    }

    @Test
    void aPercentEncodingThatIsNotUtf8InTheUrl_is400InTheJsonEnvelope_onEveryRoute() throws IOException {
        for (String target : List.of("/v1/models/%C3", "/account/usage?user=%C3%28", "/v1/models/a%FF")) {
            try (RawHttp http = new RawHttp(api.origin)) {
                String bearer = target.startsWith("/account") ? api.session : api.key;
                http.send("GET", target, Map.of("Authorization", "Bearer " + bearer), null);
                RawHttp.Head head = http.readHead();
                Response r = RawHttp.response(head, new String(http.readBody(head), java.nio.charset.StandardCharsets.UTF_8));
                assertError(r, 400, Api.ANY, Api.ANY);
                Api.assertRequestId(r);
            }
        }
    }

    /**
     * A request target that is not valid URI syntax ({@code %ZZ}) is refused by the transport
     * before any route sees it, in the same JSON envelope as every other error. No SDK sends such
     * a URL; a browser or a hand-written curl might.
     */
    @Test
    void anInvalidUriSyntaxInTheUrl_is400InTheJsonEnvelope() throws IOException {
        for (String target : List.of("/v1/models/%ZZ", "/account/usage?user=%ZZ", "/v1/models/a%2")) {
            try (RawHttp http = new RawHttp(api.origin)) {
                http.send("GET", target, Map.of("Authorization", "Bearer " + api.key), null);
                RawHttp.Head head = http.readHead();
                Response r = RawHttp.response(head, new String(http.readBody(head), java.nio.charset.StandardCharsets.UTF_8));
                assertEquals("invalid_request_error", assertError(r, 400, "invalid_parameter", null).get("type").asText());
            }
        }
    }

    @Test
    void aChunkedRequestBody_isReadLikeOneWithALength() throws IOException {
        byte[] body = Api.write(chatBody("Hello").put("max_tokens", 2)).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try (RawHttp http = new RawHttp(api.origin)) {
            Map<String, String> h = new LinkedHashMap<>();
            h.put("Authorization", "Bearer " + api.key);
            h.put("Content-Type", "application/json");
            h.put("Transfer-Encoding", "chunked");
            http.send("POST", "/v1/chat/completions", h, null);
            int half = body.length / 2;
            for (byte[] part : List.of(java.util.Arrays.copyOfRange(body, 0, half),
                    java.util.Arrays.copyOfRange(body, half, body.length))) {
                http.output().write((Integer.toHexString(part.length) + "\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                http.output().write(part);
                http.output().write("\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            }
            http.output().write("0\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            http.output().flush();
            RawHttp.Head head = http.readHead();
            String reply = new String(http.readBody(head), java.nio.charset.StandardCharsets.UTF_8);
            assertEquals(200, head.status(), reply);
            assertEquals(2, Api.parse(reply).get("usage").get("completion_tokens").asLong());
        }
    }

    @Test
    void health_isOk_withoutAuthentication() {
        Response r = api.get("/health", null);
        assertEquals(200, r.status(), r::toString);
        assertTrue(r.header("content-type").startsWith("application/json"));
        assertEquals("ok", r.json().get("status").asText());
    }

    // ---- failures ----

    @Test
    void failureBeforeTheFirstToken_is502UpstreamError_inBothModes_andIsNotBilled() {
        long before = api.balance();
        int recordsBefore = api.usage("").size();
        Response plain = api.chat(chatBody(BuiltInBackend.FAIL_BEFORE_FIRST_TOKEN));
        assertError(plain, 502, "upstream_error", null);
        Response stream = api.chat(streamBody(BuiltInBackend.FAIL_BEFORE_FIRST_TOKEN));
        assertError(stream, 502, "upstream_error", null);
        assertEquals(before, api.balance(), "not billed");
        assertEquals(recordsBefore, api.usage("").size(), "no usage record");
        assertNoLedgerEntryFor(plain.header("x-request-id"));
        assertNoLedgerEntryFor(stream.header("x-request-id"));
        assertEquals(0, heldCents(), "no hold left behind");
    }

    @Test
    void failureMidStream_endsWithOneErrorEventThenDone_andIsNotBilled() {
        long before = api.balance();
        Response r = api.chat(streamBody(BuiltInBackend.FAIL_MID_STREAM));
        assertEquals(200, r.status(), r::toString);
        Sse sse = Sse.parse(r.body());
        List<JsonNode> chunks = sse.chunks();
        int pieces = 3; // the trigger's documented behaviour: 3 tokens, then the failure
        assertEquals(1 + pieces + 1, chunks.size(), "role chunk, " + pieces + " pieces, error: " + chunks);
        for (int i = 0; i < chunks.size() - 1; i++) {
            assertFalse(chunks.get(i).has("error"), chunks.get(i)::toString);
            assertTrue(chunks.get(i).get("choices").get(0).get("finish_reason").isNull());
        }
        JsonNode last = sse.last();
        assertEquals(1, last.size(), "only the error key: " + last);
        JsonNode error = last.get("error");
        for (String k : List.of("message", "type", "param", "code")) assertTrue(error.has(k), k + " in " + error);
        assertEquals("upstream_error", error.get("code").asText());
        assertEquals(before, api.balance(), "not billed");
        assertNull(api.usageRecord(r.header("x-request-id")), "no usage record");
        assertNoLedgerEntryFor(r.header("x-request-id"));
        assertEquals(0, heldCents(), "no hold left behind");

        Response plain = api.chat(chatBody(BuiltInBackend.FAIL_MID_STREAM));
        assertError(plain, 502, "upstream_error", null);
        assertEquals(before, api.balance(), "a non-stream failure after the call began is not billed either");
    }

    // ---- timing: keep-alive, flushing, disconnect ----

    @Test
    void keepAliveComments_areSent_whileTheModelIsSilentLongerThanTheInterval() {
        try (LocalServer slow = TestServers.start("SENTX_BUILTIN_TOKEN_DELAY_MS", "300", "SENTX_KEEPALIVE_MS", "100")) {
            Api slowApi = new Api(slow);
            Response r = slowApi.chat(streamBody(QUESTION).put("max_tokens", 3));
            assertEquals(200, r.status(), r::toString);
            Sse sse = Sse.parse(r.body());
            assertFalse(sse.comments().isEmpty(), "keep-alive comments: " + r.body());
            for (String comment : sse.comments()) assertEquals(": keep-alive", comment);
            assertEquals(3, sse.last().get("usage").get("completion_tokens").asLong());
            int firstKeepAlive = r.body().indexOf(": keep-alive");
            int firstContent = r.body().indexOf("\"content\":\"", r.body().indexOf("\"content\":\"\"") + 13);
            assertTrue(firstKeepAlive < firstContent, "a keep-alive precedes the first (slow) token");
        }
    }

    @Test
    void eachToken_reachesTheClientAsSoonAsItIsProduced() throws IOException {
        long delayMs = 100;
        int tokens = 8;
        try (LocalServer paced = TestServers.start("SENTX_BUILTIN_TOKEN_DELAY_MS", Long.toString(delayMs));
             RawHttp http = new RawHttp(paced.origin())) {
            http.postJson("/v1/chat/completions", paced.demoApiKey(),
                    Api.write(streamBody(QUESTION).put("max_tokens", tokens)));
            RawHttp.Head head = http.readHead();
            assertEquals(200, head.status());
            assertTrue(head.header("content-type").startsWith("text/event-stream"));
            List<RawHttp.Event> events = http.readEvents(100);
            assertEquals("data: [DONE]", events.getLast().text(), "the stream ends with [DONE]");
            List<RawHttp.Event> content = events.subList(1, events.size() - 2);
            assertEquals(tokens, content.size(), "one event per token: " + events);
            List<Long> gapsMs = new ArrayList<>();
            for (int i = 1; i < content.size(); i++) {
                gapsMs.add((content.get(i).arrivedNanos() - content.get(i - 1).arrivedNanos()) / 1_000_000);
            }
            long spaced = gapsMs.stream().filter(g -> g >= delayMs / 2).count();
            // A buffered body arrives in one piece (gaps near 0). One gap may shrink if this
            // thread was descheduled while a token waited in the socket.
            assertTrue(spaced >= gapsMs.size() - 1, "tokens arrive about " + delayMs + " ms apart: " + gapsMs);
        }
    }

    @Test
    void clientDisconnect_stopsTheModel_billsTheTokensSoFar_andReleasesTheStreamSlot() throws Exception {
        String question = "Explain client disconnects";
        JsonNode natural = api.chat(chatBody(question)).json().get("usage");
        long naturalTokens = natural.get("completion_tokens").asLong();
        assertTrue(naturalTokens >= 40, "a reply long enough to cut: " + natural);

        try (LocalServer paced = TestServers.start("SENTX_BUILTIN_TOKEN_DELAY_MS", "50")) {
            Api pacedApi = new Api(paced);
            long before = pacedApi.balance();
            String requestId;
            try (RawHttp http = new RawHttp(paced.origin())) {
                http.postJson("/v1/chat/completions", paced.demoApiKey(), Api.write(streamBody(question)));
                RawHttp.Head head = http.readHead();
                assertEquals(200, head.status());
                requestId = head.header("x-request-id");
                List<RawHttp.Event> events = http.readEvents(3);
                assertEquals(3, events.size());
                http.abort();
            }
            JsonNode record = awaitUsageRecord(pacedApi, requestId);
            assertEquals("client_disconnected", record.get("finish_reason").asText(), record::toString);
            assertTrue(record.get("stream").asBoolean());
            long completion = record.get("completion_tokens").asLong();
            long prompt = record.get("prompt_tokens").asLong();
            assertTrue(completion >= 2, "the 2 tokens received are billed: " + record);
            assertTrue(completion <= naturalTokens / 2, "generation stopped early (" + naturalTokens
                    + " tokens in full): " + record);
            assertEquals(natural.get("prompt_tokens").asLong(), prompt, record::toString);
            long cost = record.get("cost_cents").asLong();
            assertEquals(expectedCost(prompt, completion), cost, record::toString);
            assertEquals(before - cost, pacedApi.balance(), "the balance drops by the recorded cost");
            List<LedgerEntry> usageEntries = paced.ledger().entries(LocalServer.DEMO_ACCOUNT).stream()
                    .filter(e -> e.kind() == LedgerEntry.Kind.USAGE).toList();
            assertEquals(1, usageEntries.size(), usageEntries::toString);
            assertEquals(-cost, usageEntries.getFirst().amountCents());
            assertEquals(paced.ledger().balance(LocalServer.DEMO_ACCOUNT),
                    paced.ledger().entries(LocalServer.DEMO_ACCOUNT).stream().mapToLong(LedgerEntry::amountCents)
                            .sum(), "balance = sum of the ledger");

            // The slot is given back just after the usage record is written.
            Thread.sleep(300);
            List<Response> streams = Race.run(5, i -> pacedApi.chat(streamBody("Parallel " + i).put("max_tokens", 10)));
            for (Response s : streams) {
                assertEquals(200, s.status(), "all 5 streams are admitted after the disconnect: " + s);
                assertEquals(10, Sse.parse(s.body()).last().get("usage").get("completion_tokens").asLong());
            }
        }
    }

    // ---- helpers ----

    private static long imagePromptTokens(byte[] png, String detail) {
        ObjectNode body = chatBody("x").put("max_tokens", 1);
        com.fasterxml.jackson.databind.node.ArrayNode parts = ((ObjectNode) body.get("messages").get(0))
                .putArray("content");
        if (png != null) {
            ObjectNode url = parts.addObject().put("type", "image_url").putObject("image_url")
                    .put("url", "data:image/png;base64," + java.util.Base64.getEncoder().encodeToString(png));
            if (detail != null) url.put("detail", detail);
        }
        parts.addObject().put("type", "text").put("text", "What is in this image?");
        Response r = api.chat(body);
        assertEquals(200, r.status(), r::toString);
        return r.json().get("usage").get("prompt_tokens").asLong();
    }

    /** The signature and IHDR chunk of a PNG of the given size (enough to read its size). */
    static byte[] pngHeader(int width, int height) {
        java.nio.ByteBuffer ihdr = java.nio.ByteBuffer.allocate(17).put("IHDR".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .putInt(width).putInt(height).put((byte) 8).put((byte) 6).put((byte) 0).put((byte) 0).put((byte) 0);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(ihdr.array());
        return java.nio.ByteBuffer.allocate(8 + 4 + 17 + 4)
                .put(new byte[]{(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A})
                .putInt(13).put(ihdr.array()).putInt((int) crc.getValue()).array();
    }

    private static JsonNode awaitUsageRecord(Api on, String requestId) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            JsonNode record = on.usageRecord(requestId);
            if (record != null) return record;
            Thread.sleep(20);
        }
        throw new AssertionError("no usage record for " + requestId + " within 10 s");
    }

    private static long heldCents() {
        return api.account("GET", "/account/balance", null).json().get("held_cents").asLong();
    }

    private static void assertNoLedgerEntryFor(String requestId) {
        assertNotNull(requestId);
        for (LedgerEntry e : server.ledger().entries(LocalServer.DEMO_ACCOUNT)) {
            assertNotEquals(requestId, e.id(), () -> "ledger entry for a failed request: " + e);
            assertNotEquals(requestId, e.reference(), () -> "ledger entry for a failed request: " + e);
        }
    }
}
