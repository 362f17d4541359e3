package ai.sentx.local;

import static ai.sentx.local.FakeUpstream.Scenario;
import static ai.sentx.local.FakeUpstream.ask;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.sentx.domain.chat.ChatMessage;
import ai.sentx.domain.chat.ContentPart;
import ai.sentx.domain.chat.FinishReason;
import ai.sentx.model.Tokenizer;
import ai.sentx.model.upstream.OpenAiCompatibleBackend;
import ai.sentx.model.upstream.UpstreamConfig;
import ai.sentx.port.ModelBackend;
import ai.sentx.port.ModelBackendException;
import ai.sentx.port.ModelEvent;
import ai.sentx.port.ModelRequest;
import ai.sentx.port.ModelStream;
import ai.sentx.port.contract.ModelBackendContract;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link OpenAiCompatibleBackend} against a real local OpenAI-compatible server ({@link FakeUpstream}):
 * the port's contract, the request it sends, what it makes of every kind of stream, each fault,
 * and cancellation as the server sees it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OpenAiCompatibleBackendIT implements ModelBackendContract {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final String KEY = "sk-upstream-test-key-0123456789";
    private static FakeUpstream fake;
    private static OpenAiCompatibleBackend backend;

    @BeforeAll
    static void start() {
        fake = FakeUpstream.start();
        backend = backend(Duration.ofMillis(1000), Duration.ofMillis(1500), Duration.ofMillis(700));
    }

    @AfterAll
    static void stop() {
        if (backend != null) backend.close();
        if (fake != null) fake.close();
    }

    private static OpenAiCompatibleBackend backend(Duration connect, Duration firstToken, Duration idle) {
        return backend(URI.create(fake.baseUrl()), connect, firstToken, idle);
    }

    private static OpenAiCompatibleBackend backend(URI base, Duration connect, Duration firstToken, Duration idle) {
        return new OpenAiCompatibleBackend(new UpstreamConfig(base, KEY, "fake-model-7b", connect, firstToken, idle,
                UpstreamConfig.TokenLimitField.MAX_COMPLETION_TOKENS), 16_384);
    }

    @Override
    public ModelBackend backend() {
        return backend;
    }

    /** The fake's usage is its own (a different model's tokens), not this backend's counting. */
    @Override
    public boolean countsExactly() {
        return false;
    }

    private static ModelRequest request(String userText, long budget) {
        return new ModelRequest(List.of(ChatMessage.text("system", "Be brief."), ChatMessage.text("user", userText)),
                budget, List.of(), null, null, null, null, null, null, null);
    }

    /** Everything a stream yields up to and including its Finished (Idle skipped). */
    private static List<ModelEvent> readAll(ModelStream stream) throws ModelBackendException {
        List<ModelEvent> events = new ArrayList<>();
        while (true) {
            ModelEvent e = stream.next(WAIT);
            if (e instanceof ModelEvent.Idle) continue;
            events.add(e);
            if (e instanceof ModelEvent.Finished) return events;
        }
    }

    private static String text(List<ModelEvent> events) {
        StringBuilder sb = new StringBuilder();
        for (ModelEvent e : events) if (e instanceof ModelEvent.TextDelta d) sb.append(d.text());
        return sb.toString();
    }

    // ---- the request ----

    @Test
    void sendsOneStreamingOpenAiRequest_withTheConfiguredModel_budget_samplingFields_toolsAndEndUser()
            throws Exception {
        byte[] png = ChatHttpIT.pngHeader(2, 3);
        List<ChatMessage> messages = List.of(
                ChatMessage.text("system", "SAFETY FIRST"),
                ChatMessage.text("developer", "Customer instructions."),
                new ChatMessage("user", List.of(new ContentPart.Text("Look:"), new ContentPart.Image("image/png", png,
                        "low")), "alice", null, null),
                new ChatMessage("assistant", List.of(), null, null,
                        "[{\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]"),
                new ChatMessage("tool", List.of(new ContentPart.Text("42")), null, "call_1", null),
                ChatMessage.text("user", "Thanks"));
        ModelRequest request = new ModelRequest(messages, 300, List.of("END", "STOP"), 0.5, 0.9, 7L, "end-user-1",
                "[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"parameters\":{\"type\":\"object\"}}}]",
                "\"auto\"", "{\"type\":\"json_object\"}");

        try (ModelStream stream = backend.open(request)) {
            readAll(stream);
        }

        FakeUpstream.Received got = fake.last();
        JsonNode body = got.body();
        assertEquals("Bearer " + KEY, got.headers().get("authorization"));
        assertTrue(got.headers().get("content-type").startsWith("application/json"));
        assertEquals("fake-model-7b", body.get("model").asText());
        assertTrue(body.get("stream").asBoolean());
        assertTrue(body.get("stream_options").get("include_usage").asBoolean());
        assertEquals(300, body.get("max_completion_tokens").asLong());
        assertFalse(body.has("max_tokens"));
        assertEquals(Api.parse("[\"END\",\"STOP\"]"), body.get("stop"));
        assertEquals(0.5, body.get("temperature").asDouble());
        assertEquals(0.9, body.get("top_p").asDouble());
        assertEquals(7, body.get("seed").asLong());
        assertEquals("end-user-1", body.get("user").asText());
        assertEquals(Api.parse(request.toolsJson()), body.get("tools"));
        assertEquals("auto", body.get("tool_choice").asText());
        assertEquals(Api.parse("{\"type\":\"json_object\"}"), body.get("response_format"));

        JsonNode sent = body.get("messages");
        assertEquals(6, sent.size());
        assertEquals(Api.parse("{\"role\":\"system\",\"content\":\"SAFETY FIRST\"}"), sent.get(0));
        assertEquals(Api.parse("{\"role\":\"system\",\"content\":\"Customer instructions.\"}"), sent.get(1),
                "developer goes upstream as system");
        JsonNode user = sent.get(2);
        assertEquals("alice", user.get("name").asText());
        assertEquals(Api.parse("{\"type\":\"text\",\"text\":\"Look:\"}"), user.get("content").get(0));
        JsonNode image = user.get("content").get(1);
        assertEquals("image_url", image.get("type").asText());
        assertEquals("data:image/png;base64," + java.util.Base64.getEncoder().encodeToString(png),
                image.get("image_url").get("url").asText());
        assertEquals("low", image.get("image_url").get("detail").asText());
        JsonNode assistant = sent.get(3);
        assertTrue(assistant.get("content").isNull(), assistant::toString);
        assertEquals("call_1", assistant.get("tool_calls").get(0).get("id").asText());
        assertEquals(Api.parse("{\"role\":\"tool\",\"content\":\"42\",\"tool_call_id\":\"call_1\"}"), sent.get(4));
    }

    @Test
    void sendsMaxTokens_orBoth_whenConfiguredForOlderServers() throws Exception {
        for (UpstreamConfig.TokenLimitField field : UpstreamConfig.TokenLimitField.values()) {
            try (OpenAiCompatibleBackend b = new OpenAiCompatibleBackend(
                    UpstreamConfig.of(URI.create(fake.baseUrl()), null, "m").withTimeouts(Duration.ofSeconds(1),
                            Duration.ofSeconds(2), Duration.ofSeconds(2)).withTokenLimitField(field), 16_384);
                 ModelStream stream = b.open(request("hi", 5))) {
                assertEquals(5, ((ModelEvent.Finished) readAll(stream).getLast()).completionTokens());
            }
            JsonNode body = fake.last().body();
            assertNull(fake.last().headers().get("authorization"), "no key, no header");
            assertEquals(field != UpstreamConfig.TokenLimitField.MAX_TOKENS, body.has("max_completion_tokens"));
            assertEquals(field != UpstreamConfig.TokenLimitField.MAX_COMPLETION_TOKENS, body.has("max_tokens"));
        }
    }

    @Test
    void aZeroBudget_endsAtOnce_withoutCallingTheServer() throws Exception {
        int before = fake.requests().size();
        try (ModelStream stream = backend.open(request("hi", 0))) {
            ModelEvent.Finished f = assertInstanceOf(ModelEvent.Finished.class, stream.next(WAIT));
            assertEquals(FinishReason.LENGTH, f.reason());
            assertEquals(0, f.completionTokens());
            assertEquals(backend.countPromptTokens(request("hi", 0)), f.promptTokens());
        }
        assertEquals(before, fake.requests().size());
    }

    // ---- what comes back ----

    @Test
    void relaysEachWord_asItsOwnDelta_andSettlesWithTheServersUsage() throws Exception {
        try (ModelStream stream = backend.open(request("Say hello", 100))) {
            assertEquals(backend.countPromptTokens(request("Say hello", 100)), stream.promptTokens(),
                    "before the usage arrives: the estimate");
            List<ModelEvent> events = readAll(stream);
            List<String> deltas = events.stream().filter(e -> e instanceof ModelEvent.TextDelta)
                    .map(e -> ((ModelEvent.TextDelta) e).text()).toList();
            assertEquals(FakeUpstream.WORDS, deltas);
            assertEquals(new ModelEvent.Finished(FinishReason.STOP, FakeUpstream.PROMPT_TOKENS,
                    FakeUpstream.WORDS.size()), events.getLast());
            assertEquals(FakeUpstream.PROMPT_TOKENS, stream.promptTokens());
            assertEquals(FakeUpstream.WORDS.size(), stream.completionTokensSoFar());
        }
    }

    @Test
    void withoutUsageFromTheServer_countsThePromptEstimate_andTheReplyWithTheTokenizer() throws Exception {
        ModelRequest request = request(ask(Scenario.NO_USAGE), 100);
        try (ModelStream stream = backend.open(request)) {
            List<ModelEvent> events = readAll(stream);
            ModelEvent.Finished f = (ModelEvent.Finished) events.getLast();
            assertEquals(backend.countPromptTokens(request), f.promptTokens());
            assertEquals(Tokenizer.o200kBase().count(FakeUpstream.REPLY), f.completionTokens());
        }
    }

    @Test
    void relaysToolCallDeltas_openingEachCallOnce_thenItsArgumentFragments() throws Exception {
        try (ModelStream stream = backend.open(request(ask(Scenario.TOOLS), 100))) {
            List<ModelEvent> events = readAll(stream);
            assertEquals(List.of(
                    new ModelEvent.ToolCallDelta(0, "call_fakeWeather", "get_weather", ""),
                    new ModelEvent.ToolCallDelta(0, null, null, "{\"ci"),
                    new ModelEvent.ToolCallDelta(0, null, null, "ty\":\"Pa"),
                    new ModelEvent.ToolCallDelta(0, null, null, "ris\"}"),
                    new ModelEvent.ToolCallDelta(1, "call_fakeTime", "get_time", "{\"tz\":"),
                    new ModelEvent.ToolCallDelta(1, null, null, "\"CET\"}"),
                    new ModelEvent.Finished(FinishReason.TOOL_CALLS, FakeUpstream.PROMPT_TOKENS,
                            FakeUpstream.TOOL_CALL_TOKENS)), events);
        }
    }

    @Test
    void decodesEventsSplitAnywhere_crlfFraming_commentsAndMultiLineData() throws Exception {
        try (ModelStream stream = backend.open(request(ask(Scenario.SPLIT), 100))) {
            List<ModelEvent> events = readAll(stream);
            assertEquals(FakeUpstream.SPLIT_TEXT, text(events));
            assertEquals(new ModelEvent.Finished(FinishReason.STOP, FakeUpstream.PROMPT_TOKENS, 12), events.getLast());
        }
    }

    @Test
    void returnsIdle_afterMaxWait_whileTheServerIsSilent() throws Exception {
        try (ModelStream stream = backend.open(request(ask(Scenario.GAP, 400, "idle"), 100))) {
            assertEquals(new ModelEvent.TextDelta("Hello"), stream.next(WAIT));
            long t0 = System.nanoTime();
            assertInstanceOf(ModelEvent.Idle.class, stream.next(Duration.ofMillis(100)));
            long waitedMs = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(waitedMs >= 90 && waitedMs < 1000, "Idle after about maxWait: " + waitedMs + " ms");
            List<ModelEvent> rest = readAll(stream);
            assertEquals(FakeUpstream.REPLY.substring("Hello".length()), text(rest));
        }
    }

    // ---- faults ----

    @Test
    void a500_isRetriedOnce_thenUpstreamError_quotingNothingFromTheServer() {
        String ask = ask(Scenario.STATUS_500);
        ModelBackendException e = assertThrows(ModelBackendException.class, () -> backend.open(request(ask, 10)));
        assertEquals(ModelBackendException.Kind.UPSTREAM_ERROR, e.kind());
        assertEquals(2, fake.attempts(ask), "one retry");
        assertSanitised(e.getMessage());
    }

    @Test
    void a500Or429_thatClearsOnTheRetry_isAnOrdinaryReply() throws Exception {
        for (Scenario s : List.of(Scenario.STATUS_500_ONCE, Scenario.STATUS_429_ONCE)) {
            String ask = ask(s);
            try (ModelStream stream = backend.open(request(ask, 100))) {
                assertEquals(FakeUpstream.REPLY, text(readAll(stream)), s::name);
            }
            assertEquals(2, fake.attempts(ask), s::name);
        }
    }

    @Test
    void a400_isRejected_withTheCodeAndParamOnly_andIsNotRetried() {
        String ask = ask(Scenario.STATUS_400);
        ModelBackendException e = assertThrows(ModelBackendException.class, () -> backend.open(request(ask, 10)));
        assertEquals(ModelBackendException.Kind.REJECTED, e.kind());
        assertEquals(1, fake.attempts(ask));
        assertTrue(e.getMessage().contains("HTTP 400") && e.getMessage().contains("invalid_value")
                && e.getMessage().contains("param messages"), e.getMessage());
        assertSanitised(e.getMessage());
    }

    @Test
    void a401_isTheGatewaysProblem_anUpstreamError_notTheCustomers400() {
        ModelBackendException e = assertThrows(ModelBackendException.class,
                () -> backend.open(request(ask(Scenario.STATUS_401), 10)));
        assertEquals(ModelBackendException.Kind.UPSTREAM_ERROR, e.kind());
        assertSanitised(e.getMessage());
    }

    @Test
    void aRefusedConnection_isRetriedOnce_thenUpstreamError() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        try (OpenAiCompatibleBackend closed = backend(URI.create("http://127.0.0.1:" + port + "/v1"),
                Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(2))) {
            long t0 = System.nanoTime();
            ModelBackendException e = assertThrows(ModelBackendException.class, () -> closed.open(request("hi", 5)));
            assertEquals(ModelBackendException.Kind.UPSTREAM_ERROR, e.kind());
            assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(90), "paused before the one retry");
        }
    }

    @Test
    void aConnectThatHangs_isATimeout_afterTheConnectTimeoutAndOneRetry() throws Exception {
        // A listening socket whose accept queue is full: the kernel drops further SYNs, so connects hang.
        try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<Socket> fillers = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    Socket s = new Socket();
                    try {
                        s.connect(full.getLocalSocketAddress(), 200);
                        fillers.add(s);
                    } catch (IOException e) {
                        s.close();
                        break;
                    }
                }
                assumeTrue(fillers.size() < 4, "this kernel kept accepting connections: no hanging connect to test");
                try (OpenAiCompatibleBackend hanging = backend(URI.create("http://127.0.0.1:" + full.getLocalPort()
                        + "/v1"), Duration.ofMillis(300), Duration.ofSeconds(5), Duration.ofSeconds(5))) {
                    long t0 = System.nanoTime();
                    ModelBackendException e = assertThrows(ModelBackendException.class,
                            () -> hanging.open(request("hi", 5)));
                    long ms = (System.nanoTime() - t0) / 1_000_000;
                    assertEquals(ModelBackendException.Kind.TIMEOUT, e.kind(), e::getMessage);
                    assertTrue(ms >= 600 && ms < 3000, "two connect timeouts of 300 ms: " + ms + " ms");
                }
            } finally {
                for (Socket s : fillers) s.close();
            }
        }
    }

    @Test
    void headersThatNeverCome_areATimeout_atTheFirstTokenDeadline() {
        long t0 = System.nanoTime();
        ModelBackendException e = assertThrows(ModelBackendException.class,
                () -> backend.open(request(ask(Scenario.HEADERS_LATE, 5000, "h"), 5)));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(ModelBackendException.Kind.TIMEOUT, e.kind());
        assertTrue(ms >= 1400 && ms < 3000, "about the 1.5 s first-token timeout: " + ms + " ms");
    }

    @Test
    void aSlowFirstToken_isATimeout_fromNext_afterIdleEventsForTheKeepAlives() throws Exception {
        try (ModelStream stream = backend.open(request(ask(Scenario.SLOW_FIRST, 5000, "s"), 5))) {
            long t0 = System.nanoTime();
            int idles = 0;
            ModelBackendException e = null;
            while (e == null) {
                try {
                    if (stream.next(Duration.ofMillis(200)) instanceof ModelEvent.Idle) idles++;
                } catch (ModelBackendException thrown) {
                    e = thrown;
                }
            }
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(ModelBackendException.Kind.TIMEOUT, e.kind());
            assertTrue(idles >= 4, "Idle every 200 ms meanwhile: " + idles);
            assertTrue(ms < 2500, "at the first-token deadline: " + ms + " ms");
            assertThrows(IllegalStateException.class, () -> stream.next(WAIT), "nothing after a failure");
        }
    }

    @Test
    void aStallMidStream_isATimeout_afterTheIdleTimeout() throws Exception {
        try (ModelStream stream = backend.open(request(ask(Scenario.STALL), 100))) {
            for (int i = 0; i < 3; i++) assertInstanceOf(ModelEvent.TextDelta.class, stream.next(WAIT));
            long t0 = System.nanoTime();
            ModelBackendException e = assertThrows(ModelBackendException.class, () -> {
                while (true) stream.next(WAIT);
            });
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(ModelBackendException.Kind.TIMEOUT, e.kind());
            assertTrue(ms >= 600 && ms < 3000, "about the 700 ms idle timeout: " + ms + " ms");
        }
    }

    @Test
    void aConnectionCutMidStream_anEarlyEnd_orAnErrorEvent_areUpstreamErrors_afterTheDeltasSoFar() throws Exception {
        for (Scenario s : List.of(Scenario.DROP, Scenario.ENDS_EARLY, Scenario.ERROR_EVENT)) {
            try (ModelStream stream = backend.open(request(ask(s), 100))) {
                StringBuilder text = new StringBuilder();
                ModelBackendException e = assertThrows(ModelBackendException.class, () -> {
                    while (true) {
                        if (stream.next(WAIT) instanceof ModelEvent.TextDelta d) text.append(d.text());
                    }
                }, s::name);
                assertEquals(ModelBackendException.Kind.UPSTREAM_ERROR, e.kind(), s::name);
                String why = switch (s) {
                    case DROP -> "connection to the model server broke";
                    case ENDS_EARLY -> "ended the stream before the reply";
                    default -> "reported an error mid-stream, code overloaded";
                };
                assertTrue(e.getMessage().contains(why), () -> s + ": " + e.getMessage());
                assertSanitised(e.getMessage());
                int words = s == Scenario.ERROR_EVENT ? 2 : 3;
                assertEquals(String.join("", FakeUpstream.WORDS.subList(0, words)), text.toString(), s::name);
            }
        }
    }

    // ---- cancellation ----

    @Test
    void close_cancelsTheCallAtOnce_theServerSeesItsClientGo_andBillsWhatWasHandedOut() throws Exception {
        fake.clearDisconnects();
        ModelRequest request = request(ask(Scenario.FOREVER), 16_000);
        ModelStream stream = backend.open(request);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 3; i++) text.append(assertInstanceOf(ModelEvent.TextDelta.class, stream.next(WAIT)).text());

        long closedAt = System.nanoTime();
        stream.close();

        long seen = fake.awaitDisconnect(Duration.ofSeconds(5));
        assertTrue(seen > 0, "the fake saw its client go");
        long ms = (seen - closedAt) / 1_000_000;
        assertTrue(ms < 2000, "within a few of its 20 ms writes: " + ms + " ms");
        long tokens = Tokenizer.o200kBase().count(text.toString());
        assertEquals(tokens, stream.completionTokensSoFar());
        assertEquals(new ModelEvent.Finished(FinishReason.LENGTH, backend.countPromptTokens(request), tokens),
                stream.next(WAIT));
    }

    private static void assertSanitised(String message) {
        for (String leak : List.of(FakeUpstream.SECRET, "UPSTREAMSECRET", "sk-proj", "10.1.2.3", "internal",
                "customer secret", fake.baseUrl(), "127.0.0.1")) {
            assertFalse(message.contains(leak), () -> "leaks '" + leak + "': " + message);
        }
    }
}
