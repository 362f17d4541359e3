package ai.sentx.model.upstream;

import static ai.sentx.model.upstream.FakeBedrock.Scenario;
import static ai.sentx.model.upstream.FakeBedrock.ask;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sentx.domain.chat.ChatMessage;
import ai.sentx.domain.chat.ContentPart;
import ai.sentx.domain.chat.FinishReason;
import ai.sentx.model.Tokenizer;
import ai.sentx.port.ModelBackend;
import ai.sentx.port.ModelBackendException;
import ai.sentx.port.ModelEvent;
import ai.sentx.port.ModelRequest;
import ai.sentx.port.ModelStream;
import ai.sentx.port.contract.ModelBackendContract;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * {@link BedrockBackend} through the AWS SDK against a local server speaking Bedrock's event-stream
 * framing ({@link FakeBedrock}): the port's contract, the ConverseStream request it sends, the
 * stream it decodes, each fault, and cancellation as the server sees it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BedrockBackendIT implements ModelBackendContract {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final String MODEL = "anthropic.claude-3-haiku-20240307-v1:0";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static FakeBedrock fake;
    private static BedrockBackend backend;

    @BeforeAll
    static void start() throws Exception {
        fake = new FakeBedrock();
        backend = new BedrockBackend(BedrockConfig.of("us-east-1", MODEL)
                .withEndpoint(fake.endpoint(), StaticCredentialsProvider.create(
                        AwsBasicCredentials.create("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")))
                .withTimeouts(Duration.ofSeconds(1), Duration.ofMillis(1500), Duration.ofMillis(700)), 16_384);
    }

    @AfterAll
    static void stop() {
        if (backend != null) backend.close();
        if (fake != null) fake.close();
    }

    @Override
    public ModelBackend backend() {
        return backend;
    }

    /** Bedrock's usage is the model's own tokens, not o200k_base. */
    @Override
    public boolean countsExactly() {
        return false;
    }

    private static ModelRequest request(String userText, long budget) {
        return new ModelRequest(List.of(ChatMessage.text("system", "Be brief."), ChatMessage.text("user", userText)),
                budget, List.of(), null, null, null, null, null, null, null);
    }

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

    @Test
    void sendsAConverseStreamRequest_systemFirst_rolesMerged_imagesToolsAndInferenceConfigMapped() throws Exception {
        byte[] png = new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0};
        List<ChatMessage> messages = List.of(
                ChatMessage.text("system", "SAFETY FIRST"),
                ChatMessage.text("developer", "Customer instructions."),
                new ChatMessage("user", List.of(new ContentPart.Text("Look:"), new ContentPart.Image("image/png", png)),
                        null, null, null),
                new ChatMessage("assistant", List.of(), null, null,
                        "[{\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
                                + "\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"}}]"),
                new ChatMessage("tool", List.of(new ContentPart.Text("18 C")), null, "call_1", null),
                ChatMessage.text("user", "Thanks"));
        ModelRequest request = new ModelRequest(messages, 300, List.of("END"), 0.5, 0.9, 7L, "user@example.com|1",
                "[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"description\":\"Weather\","
                        + "\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}}}]",
                "{\"type\":\"function\",\"function\":{\"name\":\"get_weather\"}}", "{\"type\":\"json_object\"}");

        try (ModelStream stream = backend.open(request)) {
            readAll(stream);
        }

        FakeBedrock.Received got = fake.last();
        assertEquals(MODEL, got.modelId());
        assertTrue(got.headers().get("authorization").startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"),
                "SigV4-signed: " + got.headers().get("authorization"));
        JsonNode body = got.body();
        assertEquals(JSON.readTree("[{\"text\":\"SAFETY FIRST\"},{\"text\":\"Customer instructions.\"}]"),
                body.get("system"), "the platform's instructions first");
        JsonNode sent = body.get("messages");
        assertEquals(3, sent.size(), "user / assistant / user (the tool result merged with the next user text)");
        assertEquals("user", sent.get(0).get("role").asText());
        assertEquals("Look:", sent.get(0).get("content").get(0).get("text").asText());
        JsonNode image = sent.get(0).get("content").get(1).get("image");
        assertEquals("png", image.get("format").asText());
        assertEquals(Base64.getEncoder().encodeToString(png), image.get("source").get("bytes").asText());
        assertEquals(JSON.readTree("{\"role\":\"assistant\",\"content\":[{\"toolUse\":{\"toolUseId\":\"call_1\","
                + "\"name\":\"get_weather\",\"input\":{\"city\":\"Paris\"}}}]}"), sent.get(1));
        assertEquals(JSON.readTree("{\"role\":\"user\",\"content\":[{\"toolResult\":{\"toolUseId\":\"call_1\","
                + "\"content\":[{\"text\":\"18 C\"}]}},{\"text\":\"Thanks\"}]}"), sent.get(2));
        JsonNode inference = body.get("inferenceConfig");
        assertEquals(300, inference.get("maxTokens").asInt());
        assertEquals(0.5, inference.get("temperature").asDouble(), 1e-6);
        assertEquals(0.9, inference.get("topP").asDouble(), 1e-6);
        assertEquals(JSON.readTree("[\"END\"]"), inference.get("stopSequences"));
        JsonNode tool = body.get("toolConfig").get("tools").get(0).get("toolSpec");
        assertEquals("get_weather", tool.get("name").asText());
        assertEquals("Weather", tool.get("description").asText());
        assertEquals(JSON.readTree("{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}"),
                tool.get("inputSchema").get("json"));
        assertEquals("get_weather", body.get("toolConfig").get("toolChoice").get("tool").get("name").asText());
        assertEquals("user@example.com_1", body.get("requestMetadata").get("end_user").asText());
    }

    @Test
    void relaysEachDelta_andSettlesWithTheMetadataUsage() throws Exception {
        try (ModelStream stream = backend.open(request("Say hello", 100))) {
            List<ModelEvent> events = readAll(stream);
            List<String> deltas = events.stream().filter(e -> e instanceof ModelEvent.TextDelta)
                    .map(e -> ((ModelEvent.TextDelta) e).text()).toList();
            assertEquals(FakeBedrock.WORDS, deltas);
            assertEquals(new ModelEvent.Finished(FinishReason.STOP, FakeBedrock.INPUT_TOKENS, FakeBedrock.WORDS.size()),
                    events.getLast());
        }
        try (ModelStream stream = backend.open(request("Say hello", 4))) {
            assertEquals(new ModelEvent.Finished(FinishReason.LENGTH, FakeBedrock.INPUT_TOKENS, 4),
                    readAll(stream).getLast(), "max_tokens is length");
        }
    }

    @Test
    void withoutMetadata_countsThePromptEstimate_andTheReplyWithTheTokenizer() throws Exception {
        ModelRequest request = request(ask(Scenario.NO_METADATA), 100);
        try (ModelStream stream = backend.open(request)) {
            ModelEvent.Finished f = (ModelEvent.Finished) readAll(stream).getLast();
            assertEquals(backend.countPromptTokens(request), f.promptTokens());
            assertEquals(Tokenizer.o200kBase().count(FakeBedrock.REPLY), f.completionTokens());
        }
    }

    @Test
    void toolUse_becomesToolCallDeltas_afterTheText_withFinishReasonToolCalls() throws Exception {
        try (ModelStream stream = backend.open(request(ask(Scenario.TOOLS), 100))) {
            assertEquals(List.of(
                    new ModelEvent.TextDelta("Let me check."),
                    new ModelEvent.ToolCallDelta(0, "tooluse_weather", "get_weather", ""),
                    new ModelEvent.ToolCallDelta(0, null, null, "{\"city\":"),
                    new ModelEvent.ToolCallDelta(0, null, null, "\"Paris\"}"),
                    new ModelEvent.Finished(FinishReason.TOOL_CALLS, FakeBedrock.INPUT_TOKENS,
                            FakeBedrock.TOOL_OUTPUT_TOKENS)), readAll(stream));
        }
    }

    @Test
    void reasoningDeltas_areNotRelayed() throws Exception {
        try (ModelStream stream = backend.open(request(ask(Scenario.REASONING), 100))) {
            assertEquals(FakeBedrock.REPLY, text(readAll(stream)));
        }
    }

    @Test
    void aValidationException_isRejected_withTheCodeOnly() {
        ModelBackendException e = assertThrows(ModelBackendException.class,
                () -> backend.open(request(ask(Scenario.STATUS_400), 10)));
        assertEquals(ModelBackendException.Kind.REJECTED, e.kind());
        assertTrue(e.getMessage().contains("HTTP 400") && e.getMessage().contains("ValidationException"),
                e.getMessage());
        assertSanitised(e.getMessage());
    }

    @Test
    void accessDenied_and500_areUpstreamErrors_aThrottleClearsOnTheOneRetry() throws Exception {
        for (Scenario s : List.of(Scenario.STATUS_403, Scenario.STATUS_500)) {
            String ask = ask(s);
            ModelBackendException e = assertThrows(ModelBackendException.class, () -> backend.open(request(ask, 10)));
            assertEquals(ModelBackendException.Kind.UPSTREAM_ERROR, e.kind(), s::name);
            assertSanitised(e.getMessage());
            assertEquals(s == Scenario.STATUS_500 ? 2 : 1, fake.attempts(ask), "one retry, of a 5xx only");
        }
        String ask = ask(Scenario.STATUS_429_ONCE);
        try (ModelStream stream = backend.open(request(ask, 100))) {
            assertEquals(FakeBedrock.REPLY, text(readAll(stream)));
        }
        assertEquals(2, fake.attempts(ask));
    }

    @Test
    void anErrorEventMidStream_isAnUpstreamError_afterTheDeltasSoFar() throws Exception {
        try (ModelStream stream = backend.open(request(ask(Scenario.STREAM_ERROR), 100))) {
            StringBuilder text = new StringBuilder();
            ModelBackendException e = assertThrows(ModelBackendException.class, () -> {
                while (true) if (stream.next(WAIT) instanceof ModelEvent.TextDelta d) text.append(d.text());
            });
            assertEquals(ModelBackendException.Kind.UPSTREAM_ERROR, e.kind());
            assertEquals("Hello from", text.toString());
            assertSanitised(e.getMessage());
        }
    }

    @Test
    void aSlowFirstToken_andAStall_areTimeouts() throws Exception {
        try (ModelStream stream = backend.open(request(ask(Scenario.SLOW_FIRST, 5000), 100))) {
            ModelBackendException e = assertThrows(ModelBackendException.class, () -> {
                while (true) stream.next(Duration.ofMillis(200));
            });
            assertEquals(ModelBackendException.Kind.TIMEOUT, e.kind());
        }
        try (ModelStream stream = backend.open(request(ask(Scenario.STALL), 100))) {
            ModelBackendException e = assertThrows(ModelBackendException.class, () -> {
                while (true) stream.next(WAIT);
            });
            assertEquals(ModelBackendException.Kind.TIMEOUT, e.kind());
        }
    }

    @Test
    void close_cancelsTheCall_theServerSeesItsClientGo_andBillsWhatWasHandedOut() throws Exception {
        ModelStream stream = backend.open(request(ask(Scenario.FOREVER), 16_000));
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 3; i++) text.append(assertInstanceOf(ModelEvent.TextDelta.class, stream.next(WAIT)).text());
        long closedAt = System.nanoTime();
        stream.close();
        long seen = fake.awaitDisconnect(Duration.ofSeconds(5));
        assertTrue(seen > 0, "the fake saw its client go");
        assertTrue((seen - closedAt) / 1_000_000 < 2000, "soon after the close");
        assertEquals(Tokenizer.o200kBase().count(text.toString()), stream.completionTokensSoFar());
    }

    private static void assertSanitised(String message) {
        for (String leak : List.of(FakeBedrock.SECRET, "123456789012", "SecretRole", "internal.amazon.com", "Denied for")) {
            assertFalse(message.contains(leak), () -> "leaks '" + leak + "': " + message);
        }
    }
}
