package ai.sentx.local;

import static ai.sentx.local.FakeUpstream.Scenario;
import static ai.sentx.local.FakeUpstream.ask;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.InternalServerException;
import com.openai.errors.OpenAIException;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.FunctionDefinition;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.completions.CompletionUsage;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The official OpenAI Java SDK against the local server in front of an OpenAI-compatible upstream
 * ({@link FakeUpstream}): every kind of reply and every fault reaches it well-formed, as the
 * response or the exception it documents.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UpstreamOpenAiSdkIT {
    private static FakeUpstream fake;
    private static LocalServer server;
    private static OpenAIClient client;

    @BeforeAll
    static void start() {
        fake = FakeUpstream.start();
        server = TestServers.start(UpstreamChatIT.upstream(fake, "SENTX_KEEPALIVE_MS", "100"));
        client = OpenAIOkHttpClient.builder()
                .apiKey(server.demoApiKey())
                .baseUrl(server.origin() + "/v1")
                .maxRetries(0)
                .timeout(Duration.ofSeconds(30))
                .build();
    }

    @AfterAll
    static void stop() {
        if (client != null) client.close();
        if (server != null) server.close();
        if (fake != null) fake.close();
    }

    private static ChatCompletionCreateParams.Builder say(String text) {
        return ChatCompletionCreateParams.builder().model("gpt-4o").addUserMessage(text);
    }

    private static ChatCompletionCreateParams.Builder withTools(ChatCompletionCreateParams.Builder b) {
        return b.addTool(ChatCompletionFunctionTool.builder()
                        .function(FunctionDefinition.builder().name("get_weather").build()).build())
                .addTool(ChatCompletionFunctionTool.builder()
                        .function(FunctionDefinition.builder().name("get_time").build()).build());
    }

    private static List<ChatCompletionChunk> stream(ChatCompletionCreateParams params) {
        try (StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(params)) {
            return s.stream().toList();
        }
    }

    /**
     * The SDK's accumulator takes the first chunk with usage as the last one and ignores its
     * choices, so it needs OpenAI's {@code include_usage} layout; the default layout (usage on the
     * finish chunk, CONTRACT §4) is read with the seed's loop.
     */
    @Test
    void aStreamedReply_concatenatesToTheUpstreamsText_andAccumulatesWithIncludeUsage() {
        StringBuilder text = new StringBuilder();
        List<ChatCompletionChunk> plain = stream(say("Say hello").build());
        for (ChatCompletionChunk c : plain) c.choices().getFirst().delta().content().ifPresent(text::append);
        assertEquals(FakeUpstream.REPLY, text.toString());
        assertEquals(FakeUpstream.PROMPT_TOKENS, plain.getLast().usage().orElseThrow().promptTokens());

        ChatCompletionAccumulator acc = ChatCompletionAccumulator.create();
        stream(say("Say hello").streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
                .build()).forEach(acc::accumulate);
        ChatCompletion whole = acc.chatCompletion();
        assertEquals(FakeUpstream.REPLY, whole.choices().getFirst().message().content().orElseThrow());
        CompletionUsage usage = whole.usage().orElseThrow();
        assertEquals(FakeUpstream.PROMPT_TOKENS, usage.promptTokens());
        assertEquals(FakeUpstream.WORDS.size(), usage.completionTokens());
    }

    @Test
    void aStreamWithIncludeUsage_andOneWithKeepAlives_areBothWellFormed() {
        List<ChatCompletionChunk> chunks = stream(say("Say hello")
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build());
        assertTrue(chunks.getLast().choices().isEmpty());
        assertEquals(FakeUpstream.PROMPT_TOKENS, chunks.getLast().usage().orElseThrow().promptTokens());

        StringBuilder text = new StringBuilder();
        for (ChatCompletionChunk c : stream(say(ask(Scenario.GAP, 350, "sdk")).build())) {
            c.choices().getFirst().delta().content().ifPresent(text::append);
        }
        assertEquals(FakeUpstream.REPLY, text.toString(), "keep-alive comments do not disturb the SDK");
    }

    @Test
    void streamedToolCalls_accumulateIntoTwoFunctionCalls() {
        ChatCompletionAccumulator acc = ChatCompletionAccumulator.create();
        List<ChatCompletionChunk> chunks = stream(withTools(say(ask(Scenario.TOOLS)))
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build());
        chunks.forEach(acc::accumulate);
        ChatCompletion.Choice choice = acc.chatCompletion().choices().getFirst();
        assertEquals(ChatCompletion.Choice.FinishReason.TOOL_CALLS, choice.finishReason());
        assertToolCalls(choice.message().toolCalls().orElseThrow());
        ChatCompletionChunk.Choice.Delta.ToolCall first = chunks.stream().filter(c -> !c.choices().isEmpty())
                .flatMap(c -> c.choices().getFirst().delta().toolCalls().stream().flatMap(List::stream))
                .findFirst().orElseThrow();
        assertEquals(0, first.index());
        assertEquals("call_fakeWeather", first.id().orElseThrow());
    }

    @Test
    void nonStreamToolCalls_areParsedAsFunctionToolCalls() {
        ChatCompletion c = client.chat().completions().create(withTools(say(ask(Scenario.TOOLS))).build());
        ChatCompletion.Choice choice = c.choices().getFirst();
        assertEquals(ChatCompletion.Choice.FinishReason.TOOL_CALLS, choice.finishReason());
        assertTrue(choice.message().content().isEmpty(), "content null");
        assertToolCalls(choice.message().toolCalls().orElseThrow());
        assertEquals(FakeUpstream.TOOL_CALL_TOKENS, c.usage().orElseThrow().completionTokens());
    }

    @Test
    void upstreamFailuresBeforeTheFirstByte_areTheDocumentedExceptions() {
        InternalServerException e502 = assertThrows(InternalServerException.class,
                () -> client.chat().completions().create(say(ask(Scenario.STATUS_500)).build()));
        assertEquals(502, e502.statusCode());
        assertEquals("upstream_error", e502.code().orElse(null));

        BadRequestException e400 = assertThrows(BadRequestException.class,
                () -> client.chat().completions().create(say(ask(Scenario.STATUS_400)).build()));
        assertFalse(e400.getMessage().contains(FakeUpstream.SECRET), e400::getMessage);

        InternalServerException e504 = assertThrows(InternalServerException.class,
                () -> client.chat().completions().create(say(ask(Scenario.HEADERS_LATE, 4000, "sdk")).build()));
        assertEquals(504, e504.statusCode());
        assertEquals("upstream_timeout", e504.code().orElse(null));

        InternalServerException streamed = assertThrows(InternalServerException.class,
                () -> stream(say(ask(Scenario.STATUS_500)).build()));
        assertEquals(502, streamed.statusCode());
    }

    @Test
    void upstreamFailuresMidStream_surfaceAsAnSdkException_afterTheDeltasSoFar() {
        for (Scenario s : List.of(Scenario.DROP, Scenario.STALL, Scenario.ERROR_EVENT, Scenario.SLOW_FIRST)) {
            StringBuilder seen = new StringBuilder();
            long arg = s == Scenario.SLOW_FIRST ? 4000 : 0;
            try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions()
                    .createStreaming(say(ask(s, arg, "sdk-mid")).build())) {
                OpenAIException e = assertThrows(OpenAIException.class, () -> stream.stream()
                        .forEach(c -> c.choices().getFirst().delta().content().ifPresent(seen::append)), s::name);
                assertFalse(e.getMessage() != null && e.getMessage().contains(FakeUpstream.SECRET), s::name);
            }
            int words = switch (s) {
                case ERROR_EVENT -> 2;
                case SLOW_FIRST -> 0;
                default -> 3;
            };
            assertEquals(String.join("", FakeUpstream.WORDS.subList(0, words)), seen.toString(), s::name);
        }
    }

    private static void assertToolCalls(List<ChatCompletionMessageToolCall> calls) {
        assertEquals(2, calls.size(), calls::toString);
        ChatCompletionMessageFunctionToolCall weather = calls.get(0).asFunction();
        assertEquals("call_fakeWeather", weather.id());
        assertEquals("get_weather", weather.function().name());
        assertEquals("{\"city\":\"Paris\"}", weather.function().arguments());
        ChatCompletionMessageFunctionToolCall time = calls.get(1).asFunction();
        assertEquals("call_fakeTime", time.id());
        assertEquals("get_time", time.function().name());
        assertEquals("{\"tz\":\"CET\"}", time.function().arguments());
    }
}
