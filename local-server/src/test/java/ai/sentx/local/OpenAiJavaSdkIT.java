package ai.sentx.local;

import static ai.sentx.local.Api.expectedCost;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sentx.model.builtin.BuiltInBackend;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.errors.OpenAIException;
import com.openai.errors.OpenAIServiceException;
import com.openai.errors.RateLimitException;
import com.openai.errors.UnauthorizedException;
import com.openai.errors.UnexpectedStatusCodeException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionContentPart;
import com.openai.models.chat.completions.ChatCompletionContentPartImage;
import com.openai.models.chat.completions.ChatCompletionContentPartText;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.completions.CompletionUsage;
import com.openai.models.models.Model;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The official OpenAI Java SDK (4.x) against the local server, as a customer would use it. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OpenAiJavaSdkIT {
    private static final String QUESTION = "Explain black holes in 2 paragraphs";
    private static LocalServer server;
    private static OpenAIClient client;

    @BeforeAll
    static void start() {
        server = TestServers.start();
        client = client(server.origin(), server.demoApiKey());
    }

    @AfterAll
    static void stop() {
        if (client != null) client.close();
        if (server != null) server.close();
    }

    private static OpenAIClient client(String origin, String key) {
        return OpenAIOkHttpClient.builder()
                .apiKey(key)
                .baseUrl(origin + "/v1")
                .maxRetries(0)
                .timeout(Duration.ofSeconds(30))
                .build();
    }

    private static ChatCompletionCreateParams.Builder question() {
        return ChatCompletionCreateParams.builder().model("sentx-v1").addUserMessage(QUESTION);
    }

    @Test
    void create_returnsAChatCompletionWithStopAndConsistentUsage() {
        ChatCompletion c = client.chat().completions().create(question().build());
        assertTrue(c.id().startsWith("chatcmpl-"), c.id());
        assertEquals("sentx-v1", c.model());
        assertEquals(JsonValue.from("chat.completion"), c._object_());
        assertEquals(1, c.choices().size());
        ChatCompletion.Choice choice = c.choices().getFirst();
        assertFalse(choice.message().content().orElse("").isBlank(), "content");
        assertEquals(ChatCompletion.Choice.FinishReason.STOP, choice.finishReason());
        CompletionUsage usage = c.usage().orElseThrow(() -> new AssertionError("usage"));
        assertTrue(usage.promptTokens() > 0 && usage.completionTokens() > 0, usage::toString);
        assertEquals(usage.promptTokens() + usage.completionTokens(), usage.totalTokens());
        assertFalse(usage._additionalProperties().containsKey("cost_cents"), "no cost without the header");
    }

    @Test
    void createStreaming_yieldsChunksTheSeedLoopCanIndex_concatenatingToTheSameReply_endingWithUsage() {
        ChatCompletion whole = client.chat().completions().create(question().build());
        StringBuilder text = new StringBuilder();
        List<ChatCompletionChunk> chunks;
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(question().build())) {
            chunks = stream.stream().toList();
        }
        assertTrue(chunks.size() >= 3, "chunks: " + chunks.size());
        assertTrue(chunks.getFirst().id().startsWith("chatcmpl-"), chunks.getFirst().id());
        assertFalse(chunks.getFirst().id().equals(whole.id()), "each completion has its own id");
        for (int i = 0; i < chunks.size(); i++) {
            ChatCompletionChunk chunk = chunks.get(i);
            // The seed's loop: chunk.choices[0].delta.content, on every chunk, without an IndexError.
            assertFalse(chunk.choices().isEmpty(), "chunk " + i + " has a choice");
            chunk.choices().getFirst().delta().content().ifPresent(text::append);
            if (i < chunks.size() - 1) assertTrue(chunk.usage().isEmpty(), "usage only at the end: " + chunk);
            assertEquals(chunks.getFirst().id(), chunk.id(), "one id for the whole stream");
        }
        assertEquals(whole.choices().getFirst().message().content().orElseThrow(), text.toString());
        ChatCompletionChunk last = chunks.getLast();
        assertEquals(ChatCompletionChunk.Choice.FinishReason.STOP,
                last.choices().getFirst().finishReason().orElseThrow());
        assertEquals(whole.usage().orElseThrow(), last.usage().orElseThrow(() -> new AssertionError("final usage")));
    }

    @Test
    void createStreaming_withIncludeUsage_endsWithAChoicelessChunkCarryingUsage() {
        ChatCompletionCreateParams params = question()
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();
        List<ChatCompletionChunk> chunks;
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
            chunks = stream.stream().toList();
        }
        ChatCompletionChunk last = chunks.getLast();
        assertTrue(last.choices().isEmpty(), "the last chunk has no choices");
        CompletionUsage usage = last.usage().orElseThrow(() -> new AssertionError("usage on the last chunk"));
        assertEquals(usage.promptTokens() + usage.completionTokens(), usage.totalTokens());
        for (ChatCompletionChunk c : chunks.subList(0, chunks.size() - 1)) {
            assertFalse(c.choices().isEmpty());
            assertTrue(c.usage().isEmpty(), "usage null before the end: " + c);
        }
    }

    @Test
    void maxCompletionTokens_cutsTheReplyWithFinishReasonLength() {
        ChatCompletion c = client.chat().completions().create(question().maxCompletionTokens(5).build());
        assertEquals(ChatCompletion.Choice.FinishReason.LENGTH, c.choices().getFirst().finishReason());
        assertEquals(5, c.usage().orElseThrow().completionTokens());
    }

    @Test
    void models_listAndRetrieveSentxV1_andAnUnknownModelIsNotFound() {
        List<Model> models = client.models().list().data();
        assertTrue(models.stream().anyMatch(m -> m.id().equals("sentx-v1")), models::toString);
        Model m = client.models().retrieve("sentx-v1");
        assertEquals("sentx-v1", m.id());
        assertNotNull(m.ownedBy());
        NotFoundException e = assertThrows(NotFoundException.class, () -> client.models().retrieve("gpt-nope"));
        assertEquals(404, e.statusCode());
        assertEquals("model_not_found", e.code().orElse(null));
    }

    @Test
    void aBadKey_isUnauthorizedException() {
        OpenAIClient bad = client(server.origin(), TestServers.newKey());
        try {
            UnauthorizedException e = assertThrows(UnauthorizedException.class,
                    () -> bad.chat().completions().create(question().build()));
            assertEquals(401, e.statusCode());
            assertEquals("invalid_api_key", e.code().orElse(null));
        } finally {
            bad.close();
        }
    }

    @Test
    void aBadKey_onALargeRequest_isStillUnauthorizedException_notAConnectionError() {
        // The server answers 401 before reading the body; the client must still get the answer.
        String bigText = "x".repeat(8 * 1024 * 1024);
        OpenAIClient bad = client(server.origin(), TestServers.newKey());
        try {
            UnauthorizedException e = assertThrows(UnauthorizedException.class, () -> bad.chat().completions()
                    .create(ChatCompletionCreateParams.builder().model("sentx-v1").addUserMessage(bigText).build()));
            assertEquals(401, e.statusCode());
        } finally {
            bad.close();
        }
    }

    @Test
    void anEmptyBalance_is402_surfacedAsTheGenericStatusException() {
        try (LocalServer broke = TestServers.start("SENTX_DEMO_BALANCE_CENTS", "0")) {
            OpenAIClient c = client(broke.origin(), broke.demoApiKey());
            OpenAIServiceException e = assertThrows(OpenAIServiceException.class,
                    () -> c.chat().completions().create(question().build()));
            assertInstanceOf(UnexpectedStatusCodeException.class, e);
            assertEquals(402, e.statusCode());
            assertEquals("insufficient_balance", e.code().orElse(null));
            assertEquals(List.of("false"), e.headers().values("x-should-retry"));
            c.close();
        }
    }

    @Test
    void aRemoteImageUrl_isBadRequestException_withCodeUnsupportedUrlScheme() {
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("sentx-v1")
                .addUserMessageOfArrayOfContentParts(List.of(
                        ChatCompletionContentPart.ofImageUrl(ChatCompletionContentPartImage.builder()
                                .imageUrl(ChatCompletionContentPartImage.ImageUrl.builder()
                                        .url("http://example.com/cat.png").build())
                                .build()),
                        ChatCompletionContentPart.ofText(ChatCompletionContentPartText.builder()
                                .text("What is this?").build())))
                .build();
        BadRequestException e = assertThrows(BadRequestException.class,
                () -> client.chat().completions().create(params));
        assertEquals(400, e.statusCode());
        assertEquals("unsupported_url_scheme", e.code().orElse(null));
        assertEquals("messages[0].content[0].image_url.url", e.param().orElse(null));
    }

    @Test
    void overTheRequestLimit_isRateLimitException() {
        try (LocalServer limited = TestServers.start("SENTX_REQUESTS_PER_MINUTE", "1")) {
            OpenAIClient c = client(limited.origin(), limited.demoApiKey());
            RateLimitException e = null;
            // Two calls in the same UTC minute are enough; a third covers a minute boundary.
            for (int i = 0; i < 3 && e == null; i++) {
                try {
                    c.models().list();
                } catch (RateLimitException limitedOut) {
                    e = limitedOut;
                }
            }
            assertNotNull(e, "a 429 within three calls at 1 request/minute");
            assertEquals(429, e.statusCode());
            assertEquals("rate_limit_exceeded", e.code().orElse(null));
            assertFalse(e.headers().values("retry-after").isEmpty(), "Retry-After");
            c.close();
        }
    }

    @Test
    void includeCostHeader_addsCostCentsToUsage_inBothModes() {
        ChatCompletionCreateParams params = question().putAdditionalHeader("X-Include-Cost", "1").build();
        HttpResponseFor<ChatCompletion> raw = client.chat().completions().withRawResponse().create(params);
        assertEquals(200, raw.statusCode());
        assertTrue(raw.requestId().isPresent(), "x-request-id reaches the SDK");
        ChatCompletion c = raw.parse();
        CompletionUsage usage = c.usage().orElseThrow();
        Map<String, JsonValue> extra = usage._additionalProperties();
        assertTrue(extra.containsKey("cost_cents"), extra::toString);
        long cost = number(extra.get("cost_cents"));
        assertEquals(expectedCost(usage.promptTokens(), usage.completionTokens()), cost);

        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
            ChatCompletionChunk last = stream.stream().reduce((a, b) -> b).orElseThrow();
            JsonValue streamed = last.usage().orElseThrow()._additionalProperties().get("cost_cents");
            assertNotNull(streamed, "cost_cents on the stream's usage");
            assertEquals(cost, number(streamed));
        }
    }

    @Test
    void aFailureMidStream_surfacesAsAnSdkException_afterTheFirstDeltas() {
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("sentx-v1")
                .addUserMessage(BuiltInBackend.FAIL_MID_STREAM).build();
        StringBuilder seen = new StringBuilder();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
            OpenAIException e = assertThrows(OpenAIException.class, () -> stream.stream()
                    .forEach(c -> c.choices().getFirst().delta().content().ifPresent(seen::append)));
            assertTrue(e.getMessage() == null || !e.getMessage().contains("Exception:"), e::toString);
        }
        assertFalse(seen.isEmpty(), "the deltas before the failure arrived");
    }

    private static long number(JsonValue value) {
        java.util.Optional<?> n = value.asNumber();
        assertTrue(n.isPresent() && n.get() instanceof Number, () -> "not a number: " + value);
        return ((Number) n.get()).longValue();
    }
}
