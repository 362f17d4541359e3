package ai.sentx.model.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sentx.domain.chat.FinishReason;
import ai.sentx.model.Tokenizer;
import ai.sentx.port.ModelBackendException;
import ai.sentx.port.ModelEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RelayStreamTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private final AtomicInteger estimates = new AtomicInteger();
    private final Source source = new Source();

    /** Records what the stream asks of its source. */
    private static final class Source implements RelayStream.Source {
        final AtomicInteger requests = new AtomicInteger();
        final AtomicInteger cancels = new AtomicInteger();

        @Override
        public void request(long n) {
            requests.incrementAndGet();
        }

        @Override
        public void cancel() {
            cancels.incrementAndGet();
        }
    }

    private RelayStream stream(long budget, Duration firstToken, Duration idle) {
        RelayStream s = new RelayStream(Tokenizer.o200kBase(), () -> {
            estimates.incrementAndGet();
            return 42;
        }, budget, System.nanoTime(), firstToken, idle);
        s.attach(source);
        return s;
    }

    private RelayStream stream(long budget) {
        return stream(budget, WAIT, WAIT);
    }

    @Test
    void handsOutWhatWasPushed_inOrder_thenFinishesWithTheServersUsage_cappedAtTheBudget() throws Exception {
        RelayStream s = stream(10);
        s.push(List.of(new ModelEvent.TextDelta("Hi"), new ModelEvent.ToolCallDelta(0, "call_1", "f", "{}")), true,
                false);
        s.push(List.of(new RelayStream.End(FinishReason.TOOL_CALLS, new RelayStream.Usage(7, 12))), true, true);

        assertEquals(new ModelEvent.TextDelta("Hi"), s.next(WAIT));
        assertEquals(new ModelEvent.ToolCallDelta(0, "call_1", "f", "{}"), s.next(WAIT));
        assertEquals(new ModelEvent.Finished(FinishReason.TOOL_CALLS, 7, 10), s.next(WAIT));
        assertEquals(0, estimates.get(), "the estimate is not computed when the server counts");
        assertThrows(IllegalStateException.class, () -> s.next(WAIT));
        s.close();
        assertEquals(0, source.cancels.get(), "nothing to cancel after the end");
    }

    @Test
    void withoutUsage_billsThePromptEstimate_andTheTokensHandedOut() throws Exception {
        RelayStream s = stream(100);
        s.push(List.of(new ModelEvent.TextDelta("Hello there"), new RelayStream.End(FinishReason.STOP, null)), true,
                true);
        s.next(WAIT);
        ModelEvent.Finished f = assertInstanceOf(ModelEvent.Finished.class, s.next(WAIT));
        assertEquals(42, f.promptTokens());
        assertEquals(Tokenizer.o200kBase().count("Hello there"), f.completionTokens());
        assertEquals(1, estimates.get());
    }

    @Test
    void close_cancelsTheSourceOnce_andTheNextCallFinishesWithWhatWasHandedOut() throws Exception {
        RelayStream s = stream(100);
        s.push(List.of(new ModelEvent.TextDelta("one"), new ModelEvent.TextDelta(" two")), true, false);
        s.next(WAIT);
        s.close();
        s.close();
        assertEquals(1, source.cancels.get());
        assertEquals(Tokenizer.o200kBase().count("one"), s.completionTokensSoFar(), "only what was handed out");
        assertEquals(new ModelEvent.Finished(FinishReason.LENGTH, 42, 1), s.next(WAIT));
    }

    @Test
    void aSourceAttachedAfterTheClose_isCancelledAtOnce() {
        RelayStream s = new RelayStream(Tokenizer.o200kBase(), () -> 1, 10, System.nanoTime(), WAIT, WAIT);
        s.close();
        Source late = new Source();
        s.attach(late);
        assertEquals(1, late.cancels.get());
    }

    @Test
    void aFailure_isThrownAfterTheItemsBeforeIt_andCancelsTheSource() throws Exception {
        RelayStream s = stream(100);
        ModelBackendException failure = UpstreamFailures.connectionLost();
        assertFalse(s.push(List.of(new ModelEvent.TextDelta("a"), failure), true, true));
        assertEquals(1, source.cancels.get());
        s.next(WAIT);
        assertSame(failure, assertThrows(ModelBackendException.class, () -> s.next(WAIT)));
    }

    @Test
    void pastTheHighWaterMark_theSourceWaits_untilTheReaderHasDrainedTheQueue() throws Exception {
        RelayStream s = stream(10_000);
        List<Object> many = new ArrayList<>();
        for (int i = 0; i < RelayStream.HIGH_WATER; i++) many.add(new ModelEvent.TextDelta("x"));
        assertFalse(s.push(many, true, false), "the source must wait");
        int before = source.requests.get();
        while (source.requests.get() == before) s.next(WAIT);
        assertTrue(s.push(List.of(new ModelEvent.TextDelta("y")), true, false), "room again");
    }

    @Test
    void returnsIdle_afterMaxWait_thenTimesOutAtTheFirstTokenDeadline() throws Exception {
        RelayStream s = stream(10, Duration.ofMillis(300), WAIT);
        assertInstanceOf(ModelEvent.Idle.class, s.next(Duration.ofMillis(50)));
        s.push(List.of(), false, false); // bytes without a token do not stop the first-token clock
        ModelBackendException e = assertThrows(ModelBackendException.class, () -> {
            while (true) s.next(Duration.ofMillis(50));
        });
        assertEquals(ModelBackendException.Kind.TIMEOUT, e.kind());
        assertEquals(1, source.cancels.get());
    }

    @Test
    void onceTokensFlow_silenceLongerThanTheIdleTimeout_isATimeout() throws Exception {
        RelayStream s = stream(10, WAIT, Duration.ofMillis(200));
        s.push(List.of(new ModelEvent.TextDelta("a")), true, false);
        s.next(WAIT);
        long t0 = System.nanoTime();
        ModelBackendException e = assertThrows(ModelBackendException.class, () -> s.next(WAIT));
        assertEquals(ModelBackendException.Kind.TIMEOUT, e.kind());
        assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(2).toNanos());
    }

    @Test
    void theSourcesEnd_afterItsLastItem_isIgnored() throws Exception {
        RelayStream s = stream(10);
        s.push(List.of(new RelayStream.End(FinishReason.STOP, new RelayStream.Usage(1, 1))), true, true);
        s.sourceEnded(UpstreamFailures.connectionLost());
        assertInstanceOf(ModelEvent.Finished.class, s.next(WAIT));
    }
}
