package ai.sentx.port.contract;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.sentx.domain.chat.ChatMessage;
import ai.sentx.port.ModelBackend;
import ai.sentx.port.ModelBackendException;
import ai.sentx.port.ModelEvent;
import ai.sentx.port.ModelRequest;
import ai.sentx.port.ModelStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ModelBackend} must do: a call streams text deltas and then exactly one
 * {@code Finished} with the call's token counts, never produces more than its output budget, and
 * can be closed at any point, more than once, without failing.
 *
 * <p>Backends that count exactly (the built-in one, any whose tokenizer is the model's) also
 * promise that the counts agree with {@link ModelBackend#countTokens} and
 * {@link ModelBackend#countPromptTokens}; others override {@link #countsExactly()}.
 */
public interface ModelBackendContract {
    /** A backend to test; each call may return a fresh one or the same one. */
    ModelBackend backend();

    /** Whether {@code Finished}'s counts equal this backend's own counting methods. */
    default boolean countsExactly() {
        return true;
    }

    /** The longest a test waits for one event; a backend that keeps tests slow may raise it. */
    default Duration maxWait() {
        return Duration.ofSeconds(10);
    }

    /** A request that any backend answers with a few sentences, within {@code maxOutputTokens}. */
    default ModelRequest simpleRequest(long maxOutputTokens) {
        List<ChatMessage> messages = List.of(
                ChatMessage.text("system", "You are a helpful assistant. Answer in plain prose."),
                ChatMessage.text("user", "Write three sentences about the sea."));
        return new ModelRequest(messages, maxOutputTokens, List.of(), null, null, 7L, "contract-user", null, null,
                null);
    }

    @Test
    default void streamsTextDeltas_thenExactlyOneFinished_withTheCallsTokenCounts() throws Exception {
        ModelBackend backend = backend();
        ModelRequest request = simpleRequest(200);

        try (ModelStream stream = backend.open(request)) {
            Reply reply = readToTheEnd(stream);

            assertFalse(reply.deltas().isEmpty(), "at least one text delta");
            assertTrue(reply.finished().completionTokens() > 0, "some completion tokens");
            assertTrue(reply.finished().promptTokens() > 0, "some prompt tokens");
            assertEquals(reply.finished().completionTokens(), stream.completionTokensSoFar());
            assertEquals(reply.finished().promptTokens(), stream.promptTokens());
            if (countsExactly()) {
                assertEquals(backend.countTokens(reply.text()), reply.finished().completionTokens());
                assertEquals(backend.countPromptTokens(request), reply.finished().promptTokens());
            }
        }
    }

    @Test
    default void neverProducesMoreThanMaxOutputTokens() throws Exception {
        ModelBackend backend = backend();
        for (long budget : new long[] {1, 3, 8}) {
            try (ModelStream stream = backend.open(simpleRequest(budget))) {
                Reply reply = readToTheEnd(stream);

                assertTrue(reply.finished().completionTokens() <= budget,
                        "budget " + budget + " but " + reply.finished().completionTokens() + " tokens");
                if (countsExactly()) assertTrue(backend.countTokens(reply.text()) <= budget, reply.text());
            }
        }
    }

    @Test
    default void closesMidStream_safelyAndIdempotently() throws Exception {
        ModelBackend backend = backend();
        ModelStream stream = backend.open(simpleRequest(200));
        StringBuilder text = new StringBuilder();
        ModelEvent event = nextNonIdle(stream);
        if (event instanceof ModelEvent.TextDelta delta) text.append(delta.text());

        assertDoesNotThrow(stream::close);
        assertDoesNotThrow(stream::close);

        long billed = stream.completionTokensSoFar();
        assertTrue(billed >= 0);
        if (countsExactly()) assertEquals(backend.countTokens(text.toString()), billed);
        assertEquals(billed, stream.completionTokensSoFar(), "nothing is produced after close()");
    }

    @Test
    default void closesAfterFinished_withoutFailing() throws Exception {
        ModelStream stream = backend().open(simpleRequest(20));
        Reply reply = readToTheEnd(stream);

        assertDoesNotThrow(stream::close);
        assertDoesNotThrow(stream::close);
        assertEquals(reply.finished().completionTokens(), stream.completionTokensSoFar());
    }

    @Test
    default void countsPromptTokens_withoutCallingTheModel_andNeverNegative() {
        ModelBackend backend = backend();

        long tokens = backend.countPromptTokens(simpleRequest(10));

        assertTrue(tokens > 0);
        assertEquals(tokens, backend.countPromptTokens(simpleRequest(10)), "counting is repeatable");
        assertEquals(0, backend.countTokens(""));
        assertTrue(backend.countTokens("Hello, world!") > 0);
    }

    /** The text deltas and the final event of a stream read to its end. */
    record Reply(List<String> deltas, ModelEvent.Finished finished) {
        public String text() {
            return String.join("", deltas);
        }
    }

    /** Reads {@code stream} until {@code Finished}, skipping {@code Idle}; fails on a stall. */
    default Reply readToTheEnd(ModelStream stream) throws ModelBackendException {
        List<String> deltas = new ArrayList<>();
        long deadline = System.nanoTime() + maxWait().multipliedBy(6).toNanos();
        while (System.nanoTime() - deadline < 0) {
            ModelEvent event = stream.next(maxWait());
            assertNotNull(event, "next() never returns null");
            switch (event) {
                case ModelEvent.TextDelta delta -> {
                    assertNotNull(delta.text());
                    deltas.add(delta.text());
                }
                case ModelEvent.ToolCallDelta call -> {
                    assertNotNull(call.argumentsFragment());
                }
                case ModelEvent.Idle idle -> {
                    // keep-alive: ask again
                }
                case ModelEvent.Finished finished -> {
                    assertNotNull(finished.reason());
                    return new Reply(List.copyOf(deltas), finished);
                }
            }
        }
        return fail("no Finished event within " + maxWait().multipliedBy(6));
    }

    /** The first event that is not {@code Idle}. */
    default ModelEvent nextNonIdle(ModelStream stream) throws ModelBackendException {
        for (int i = 0; i < 6; i++) {
            ModelEvent event = stream.next(maxWait());
            if (!(event instanceof ModelEvent.Idle)) return assertInstanceOf(ModelEvent.class, event);
        }
        return fail("only Idle events");
    }
}
