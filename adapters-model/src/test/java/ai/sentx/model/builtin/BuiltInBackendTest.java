package ai.sentx.model.builtin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class BuiltInBackendTest implements ModelBackendContract {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private final BuiltInBackend backend = new BuiltInBackend(16_384, Duration.ZERO);

    @Override
    public ModelBackend backend() {
        return backend;
    }

    @Test
    void repliesTheSame_toTheSameRequest_tokenForToken() throws Exception {
        Reply first = read(backend.open(request("What is the capital of France?", 500)));
        Reply second = read(new BuiltInBackend(16_384, Duration.ZERO).open(request("What is the capital of France?", 500)));

        assertEquals(first.deltas(), second.deltas());
        assertEquals(first.finished(), second.finished());
    }

    @Test
    void repliesDifferently_whenTheConversationOrTheSeedChanges() {
        String base = backend.naturalReply(request("What is the capital of France?", 500));

        assertNotEquals(base, backend.naturalReply(request("What is the capital of Spain?", 500)));
        assertNotEquals(base, backend.naturalReply(withSeed(request("What is the capital of France?", 500), 42L)));
    }

    @Test
    void quotesTheLastUserMessage_andStaysWithinANaturalLength() {
        for (String question : List.of("hi", "What is the capital of France?", "Tell me a joke about cats and dogs",
                "Why is the sky blue? Give a short answer, please, with no more than twenty words at all.")) {
            String reply = backend.naturalReply(request(question, 500));
            long tokens = backend.countTokens(reply);

            assertTrue(reply.startsWith("You said: \""), reply);
            assertTrue(tokens >= 40 && tokens <= 150, tokens + " tokens: " + reply);
            assertFalse(reply.contains("\n"), reply);
        }
        assertTrue(backend.naturalReply(request("hi", 500)).startsWith("You said: \"hi\"."));
        assertTrue(backend.naturalReply(request("Is it?", 500)).startsWith("You said: \"Is it?\" "));
    }

    @Test
    void writesLongerReplies_whenAskedForParagraphsOrAnExplanation() {
        String brief = backend.naturalReply(request("Tell me about the sea", 5_000));
        String three = backend.naturalReply(request("Tell me about the sea in 3 paragraphs", 5_000));
        String explained = backend.naturalReply(request("Explain the sea", 5_000));

        assertEquals(3, three.split("\n\n").length, three);
        assertEquals(2, explained.split("\n\n").length, explained);
        assertTrue(backend.countTokens(three) > backend.countTokens(brief) + 60);
    }

    @Test
    void mentionsImages_withTheirSizes() throws IOException {
        ChatMessage message = new ChatMessage("user", List.of(
                new ContentPart.Text("What is in this picture?"),
                new ContentPart.Image("image/png", png(640, 480)),
                new ContentPart.Image("image/webp", new byte[] {1, 2, 3})), null, null, null);
        ModelRequest request = new ModelRequest(List.of(message), 500, List.of(), null, null, null, null, null, null,
                null);

        String reply = backend.naturalReply(request);

        assertTrue(reply.startsWith("You said: \"What is in this picture?\" I see 2 images (640x480 PNG, unknown size)."),
                reply);
        assertEquals(3 + 3 + 1 + backend.countTokens("What is in this picture?") + 425 + 765,
                backend.countPromptTokens(request));
    }

    @Test
    void quotesOnlyTheStartOfALongMessage_onOneLine() {
        String reply = backend.naturalReply(request("one two three\nfour five six seven eight nine ten eleven twelve "
                + "thirteen fourteen", 500));

        assertTrue(reply.startsWith("You said: \"one two three four five six seven eight nine ten eleven twelve...\"."),
                reply);
    }

    @Test
    void emitsExactlyMaxTokens_andFinishesWithLength() throws Exception {
        ModelRequest unlimited = request("What is the capital of France?", 16_384);
        long natural = backend.countTokens(backend.naturalReply(unlimited));

        for (long n = 1; n < natural; n++) {
            Reply reply = read(backend.open(unlimited.withMaxOutputTokens(n)));

            assertEquals(FinishReason.LENGTH, reply.finished().reason());
            assertEquals(n, reply.finished().completionTokens());
            assertEquals(n, reply.deltas().size(), "one token per delta");
            assertEquals(n, backend.countTokens(reply.text()));
        }
    }

    @Test
    void emitsTheWholeReply_andFinishesWithStop_whenItFits() throws Exception {
        ModelRequest request = request("What is the capital of France?", 16_384);
        String natural = backend.naturalReply(request);
        long tokens = backend.countTokens(natural);

        for (long budget : new long[] {tokens, tokens + 1, 16_384}) {
            Reply reply = read(backend.open(request.withMaxOutputTokens(budget)));

            assertEquals(natural, reply.text());
            assertEquals(FinishReason.STOP, reply.finished().reason());
            assertEquals(tokens, reply.finished().completionTokens());
            assertEquals(backend.countPromptTokens(request), reply.finished().promptTokens());
        }
    }

    @Test
    void emitsNothing_andFinishesWithLength_whenMaxTokensIsZero() throws Exception {
        Reply reply = read(backend.open(request("hello", 0)));

        assertEquals(List.of(), reply.deltas());
        assertEquals(new ModelEvent.Finished(FinishReason.LENGTH, backend.countPromptTokens(request("hello", 0)), 0),
                reply.finished());
    }

    @Test
    void capsTheBudget_atTheBackendsMaximum() throws Exception {
        BuiltInBackend small = new BuiltInBackend(5, Duration.ZERO);

        Reply reply = read(small.open(request("hello", 1_000)));

        assertEquals(5, small.maxOutputTokens());
        assertEquals(FinishReason.LENGTH, reply.finished().reason());
        assertEquals(5, reply.finished().completionTokens());
    }

    @Test
    void cutsBeforeAStopSequence_thatSpansSeveralTokens() throws Exception {
        ModelRequest request = request("hello world", 500);
        String natural = backend.naturalReply(request);
        // "said: \"hel" covers " said", ":", " \"" and part of "hello": four tokens, ending inside one.
        String stop = "said: \"hel";
        assertTrue(natural.contains(stop), natural);

        Reply reply = read(backend.open(withStops(request, List.of("never there", stop))));

        assertEquals("You ", reply.text());
        assertEquals(FinishReason.STOP, reply.finished().reason());
        assertEquals(backend.countTokens("You "), reply.finished().completionTokens());
    }

    @Test
    void cutsAtTheEarliestStopSequence_andNeverSendsTheStopText() throws Exception {
        ModelRequest request = request("hello world", 500);
        String natural = backend.naturalReply(request);
        String late = natural.substring(natural.length() - 12);
        String early = natural.substring(30, 38);

        Reply reply = read(backend.open(withStops(request, List.of(late, early))));

        int cut = Math.min(natural.indexOf(early), natural.indexOf(late));
        assertEquals(natural.indexOf(early), cut);
        assertEquals(natural.substring(0, cut), reply.text());
        assertFalse(reply.text().contains(early));
        assertEquals(FinishReason.STOP, reply.finished().reason());
        assertEquals(backend.countTokens(reply.text()), reply.finished().completionTokens());
    }

    @Test
    void sendsNothing_whenTheReplyStartsWithAStopSequence() throws Exception {
        Reply reply = read(backend.open(withStops(request("hello", 500), List.of("You said"))));

        assertEquals(List.of(), reply.deltas());
        assertEquals(FinishReason.STOP, reply.finished().reason());
        assertEquals(0, reply.finished().completionTokens());
    }

    @Test
    void finishesWithLength_whenTheBudgetEndsBeforeTheStopSequence() throws Exception {
        ModelRequest request = request("hello world", 3);
        String natural = backend.naturalReply(request);
        String stop = natural.substring(natural.length() - 10);

        Reply reply = read(backend.open(withStops(request, List.of(stop))));

        assertEquals(FinishReason.LENGTH, reply.finished().reason());
        assertEquals(3, reply.finished().completionTokens());
    }

    @Test
    void streamsEmojiAndCjkQuotes_withoutBrokenCharacters_andCountsThemExactly() throws Exception {
        ModelRequest request = request("你好，世界 👋 👨‍👩‍👧 café", 500);
        String natural = backend.naturalReply(request);

        Reply reply = read(backend.open(request));

        assertEquals(natural, reply.text());
        assertTrue(reply.text().contains("你好，世界 👋 👨‍👩‍👧 café"), reply.text());
        reply.deltas().forEach(d -> assertFalse(d.contains("\uFFFD"), d));
        assertEquals(backend.countTokens(reply.text()), reply.finished().completionTokens());
        for (long n = 0; n < 30; n++) {
            Reply cut = read(backend.open(request.withMaxOutputTokens(n)));
            assertTrue(cut.finished().completionTokens() <= n);
            assertEquals(backend.countTokens(cut.text()), cut.finished().completionTokens());
        }
    }

    @Test
    void emitsExactlyMaxTokens_whenTheBudgetEndsInsideAPieceOfSeveralTokens() throws Exception {
        ModelRequest request = request("hi 👋 there", 500);
        String natural = backend.naturalReply(request);
        StringBuilder before = new StringBuilder();
        Tokenizer.Piece wave = null;
        for (Tokenizer.Piece piece : Tokenizer.o200kBase().streamPieces(natural)) {
            if (piece.text().equals(" 👋")) {
                wave = piece;
                break;
            }
            before.append(piece.text());
        }
        assertNotNull(wave, "o200k_base encodes \" 👋\" as one piece of two tokens");
        assertEquals(2, wave.tokens());

        Reply reply = read(backend.open(request.withMaxOutputTokens(wave.cumulativeTokens() - 1)));

        assertEquals(before + " ", reply.text());
        assertEquals(wave.cumulativeTokens() - 1, reply.finished().completionTokens());
        assertEquals(FinishReason.LENGTH, reply.finished().reason());
    }

    @Test
    void failsToOpen_onTheBeforeFirstTokenTrigger() {
        ModelBackendException e = assertThrows(ModelBackendException.class,
                () -> backend.open(request(BuiltInBackend.FAIL_BEFORE_FIRST_TOKEN, 500)));

        assertEquals(ModelBackendException.Kind.UPSTREAM_ERROR, e.kind());
        assertEquals("The built-in model failed on purpose.", e.getMessage());
    }

    @Test
    void failsAfterThreeTokens_onTheMidStreamTrigger() throws Exception {
        ModelStream stream = backend.open(request(BuiltInBackend.FAIL_MID_STREAM, 500));
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 3; i++) text.append(assertInstanceOf(ModelEvent.TextDelta.class, stream.next(WAIT)).text());

        ModelBackendException e = assertThrows(ModelBackendException.class, () -> stream.next(WAIT));

        assertEquals(ModelBackendException.Kind.UPSTREAM_ERROR, e.kind());
        assertEquals(backend.countTokens(text.toString()), stream.completionTokensSoFar());
        assertEquals(3, stream.completionTokensSoFar());
        assertThrows(IllegalStateException.class, () -> stream.next(WAIT));
        stream.close();
    }

    @Test
    void returnsIdle_whenTheTokenDelayIsLongerThanTheWait_thenTheToken() throws Exception {
        BuiltInBackend slow = new BuiltInBackend(16_384, Duration.ofMillis(300));
        ModelStream stream = slow.open(request("hello", 500));
        Duration shortWait = Duration.ofMillis(20);

        long start = System.nanoTime();
        assertInstanceOf(ModelEvent.Idle.class, stream.next(shortWait));
        assertTrue(System.nanoTime() - start >= shortWait.toNanos(), "Idle comes after maxWait, not before");
        assertEquals(0, stream.completionTokensSoFar());

        ModelEvent event = stream.next(shortWait);
        int idles = 1;
        while (event instanceof ModelEvent.Idle) {
            idles++;
            event = stream.next(shortWait);
        }
        assertEquals("You", assertInstanceOf(ModelEvent.TextDelta.class, event).text());
        assertTrue(idles >= 2, idles + " keep-alive chances before the first token");
        assertTrue(System.nanoTime() - start >= Duration.ofMillis(300).toNanos());
        assertEquals(1, stream.completionTokensSoFar());
        stream.close();
    }

    @Test
    void pacesTokens_byTheTokenDelay() throws Exception {
        BuiltInBackend slow = new BuiltInBackend(16_384, Duration.ofMillis(20));

        long start = System.nanoTime();
        Reply reply = read(slow.open(request("hello", 5)));

        assertEquals(5, reply.deltas().size());
        assertTrue(System.nanoTime() - start >= Duration.ofMillis(100).toNanos());
    }

    @Test
    void stopsAtClose_midStream_andBillsWhatWasSent() throws Exception {
        ModelStream stream = backend.open(request("What is the capital of France?", 500));
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 7; i++) text.append(assertInstanceOf(ModelEvent.TextDelta.class, stream.next(WAIT)).text());
        assertEquals(backend.countTokens(text.toString()), stream.completionTokensSoFar());

        stream.close();
        stream.close();

        assertEquals(7, stream.completionTokensSoFar());
        assertEquals(new ModelEvent.Finished(FinishReason.LENGTH, stream.promptTokens(), 7), stream.next(WAIT));
        assertThrows(IllegalStateException.class, () -> stream.next(WAIT));
        assertEquals(7, stream.completionTokensSoFar());
    }

    @Test
    void wakesAWaitingReader_whenClosedFromAnotherThread() throws Exception {
        BuiltInBackend slow = new BuiltInBackend(16_384, Duration.ofSeconds(30));
        ModelStream stream = slow.open(request("hello", 500));
        ExecutorService closer = Executors.newSingleThreadExecutor();
        try {
            long start = System.nanoTime();
            closer.submit(() -> {
                TimeUnit.MILLISECONDS.sleep(100);
                stream.close();
                return null;
            });

            ModelEvent event = stream.next(Duration.ofSeconds(30));

            assertEquals(new ModelEvent.Finished(FinishReason.LENGTH, stream.promptTokens(), 0), event);
            assertTrue(System.nanoTime() - start < Duration.ofSeconds(10).toNanos());
        } finally {
            closer.shutdownNow();
        }
    }

    @Test
    void throwsIllegalState_whenReadAfterFinished() throws Exception {
        ModelStream stream = backend.open(request("hello", 500));
        read(stream);

        assertThrows(IllegalStateException.class, () -> stream.next(WAIT));
    }

    @Test
    void servesConcurrentStreams_independently() throws Exception {
        List<String> questions = List.of("alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta");
        List<Reply> expected = new ArrayList<>();
        for (String q : questions) expected.add(read(backend.open(request(q, 500))));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Reply>> replies = new ArrayList<>();
            for (int round = 0; round < 4; round++) {
                for (String q : questions) replies.add(pool.submit(() -> read(backend.open(request(q, 500)))));
            }
            for (int i = 0; i < replies.size(); i++) {
                assertEquals(expected.get(i % questions.size()), replies.get(i).get(30, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void rejectsNegativeSettings() {
        assertThrows(IllegalArgumentException.class, () -> new BuiltInBackend(-1, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> new BuiltInBackend(10, Duration.ofMillis(-1)));
        assertThrows(NullPointerException.class, () -> new BuiltInBackend(10, null));
    }

    private Reply read(ModelStream stream) throws ModelBackendException {
        try (stream) {
            return readToTheEnd(stream);
        }
    }

    private static ModelRequest request(String userText, long maxOutputTokens) {
        return new ModelRequest(List.of(ChatMessage.text("system", "You are a helpful assistant."),
                ChatMessage.text("user", userText)), maxOutputTokens, List.of(), null, null, null, null, null, null, null);
    }

    private static ModelRequest withStops(ModelRequest r, List<String> stops) {
        return new ModelRequest(r.messages(), r.maxOutputTokens(), stops, r.temperature(), r.topP(), r.seed(),
                r.endUser(), r.toolsJson(), r.toolChoiceJson(), r.responseFormatJson());
    }

    private static ModelRequest withSeed(ModelRequest r, Long seed) {
        return new ModelRequest(r.messages(), r.maxOutputTokens(), r.stop(), r.temperature(), r.topP(), seed,
                r.endUser(), r.toolsJson(), r.toolChoiceJson(), r.responseFormatJson());
    }

    private static byte[] png(int width, int height) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB), "png", out);
        return out.toByteArray();
    }
}
