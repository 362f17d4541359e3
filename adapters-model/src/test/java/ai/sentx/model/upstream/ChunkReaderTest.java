package ai.sentx.model.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sentx.domain.chat.FinishReason;
import ai.sentx.port.ModelBackendException;
import ai.sentx.port.ModelEvent;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChunkReaderTest {
    private final ChunkReader reader = new ChunkReader(new ObjectMapper());

    private List<Object> read(String... events) throws IOException {
        List<Object> out = new ArrayList<>();
        for (String e : events) {
            byte[] b = e.getBytes(StandardCharsets.UTF_8);
            reader.read(b, b.length, out);
        }
        return out;
    }

    private static String chunk(String delta, String finish) {
        return "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":" + delta
                + ",\"finish_reason\":" + (finish == null ? "null" : "\"" + finish + "\"") + "}]}";
    }

    @Test
    void content_becomesTextDeltas_theRoleChunkAndEmptyContentNothing() throws IOException {
        assertEquals(List.of(new ModelEvent.TextDelta("Hi"), new ModelEvent.TextDelta(" there")), read(
                chunk("{\"role\":\"assistant\",\"content\":\"\"}", null),
                chunk("{\"content\":\"Hi\"}", null),
                chunk("{\"content\":null}", null),
                chunk("{\"content\":\" there\"}", null)));
        assertTrue(reader.generating());
    }

    @Test
    void done_endsWithTheFinishReasonAndTheUsage() throws IOException {
        List<Object> out = read(chunk("{\"content\":\"x\"}", null), chunk("{}", "length"),
                "{\"choices\":[],\"usage\":{\"prompt_tokens\":11,\"completion_tokens\":1,\"total_tokens\":12}}",
                "[DONE]", chunk("{\"content\":\"after\"}", null));
        assertEquals(List.of(new ModelEvent.TextDelta("x"),
                new RelayStream.End(FinishReason.LENGTH, new RelayStream.Usage(11, 1))), out);
        assertTrue(reader.done());
        assertNull(reader.endOfBody(), "nothing more after [DONE]");
    }

    @Test
    void theEndOfTheBody_withoutDone_isAnEndAfterAFinishReason_elseABrokenStream() throws IOException {
        read(chunk("{}", "stop"));
        assertEquals(new RelayStream.End(FinishReason.STOP, null), reader.endOfBody());

        ChunkReader cut = new ChunkReader(new ObjectMapper());
        byte[] b = chunk("{\"content\":\"x\"}", null).getBytes(StandardCharsets.UTF_8);
        cut.read(b, b.length, new ArrayList<>());
        ModelBackendException broken = assertInstanceOf(ModelBackendException.class, cut.endOfBody());
        assertEquals(ModelBackendException.Kind.UPSTREAM_ERROR, broken.kind());
    }

    @Test
    void toolCalls_areIndexedFromZero_inOrderOfFirstAppearance_withAnIdMadeUpWhenMissing() throws IOException {
        List<Object> out = read(
                chunk("{\"tool_calls\":[{\"index\":3,\"id\":\"call_a\",\"type\":\"function\","
                        + "\"function\":{\"name\":\"f\",\"arguments\":\"\"}}]}", null),
                chunk("{\"tool_calls\":[{\"index\":3,\"function\":{\"arguments\":\"{\\\"x\\\":\"}}]}", null),
                chunk("{\"tool_calls\":[{\"index\":5,\"function\":{\"name\":\"g\",\"arguments\":\"{}\"}}]}", null),
                chunk("{\"tool_calls\":[{\"index\":3,\"function\":{\"arguments\":\"1}\"}}]}", null),
                chunk("{\"tool_calls\":[{\"index\":3,\"function\":{\"arguments\":\"\"}}]}", null),
                chunk("{}", "tool_calls"), "[DONE]");
        assertEquals(new ModelEvent.ToolCallDelta(0, "call_a", "f", ""), out.get(0));
        assertEquals(new ModelEvent.ToolCallDelta(0, null, null, "{\"x\":"), out.get(1));
        ModelEvent.ToolCallDelta second = (ModelEvent.ToolCallDelta) out.get(2);
        assertEquals(1, second.index());
        assertTrue(second.id().matches("call_[A-Za-z0-9]{24}"), second.id());
        assertEquals("g", second.name());
        assertEquals("{}", second.argumentsFragment());
        assertEquals(new ModelEvent.ToolCallDelta(0, null, null, "1}"), out.get(3));
        assertEquals(new RelayStream.End(FinishReason.TOOL_CALLS, null), out.get(4), "empty fragments are skipped");
    }

    @Test
    void reasoningDeltas_countAsGeneration_withoutBeingRelayed() throws IOException {
        assertEquals(List.of(), read(chunk("{\"reasoning_content\":\"thinking\"}", null)));
        assertTrue(reader.generating());
    }

    @Test
    void onlyChoiceZeroIsRead() throws IOException {
        assertEquals(List.of(new ModelEvent.TextDelta("zero")), read("{\"choices\":[{\"index\":1,\"delta\":"
                + "{\"content\":\"one\"}},{\"index\":0,\"delta\":{\"content\":\"zero\"}}]}"));
    }

    @Test
    void anErrorEvent_isABrokenStream_namingOnlyASafeCode() throws IOException {
        List<Object> out = read(chunk("{\"content\":\"x\"}", null), "{\"error\":{\"message\":\"key sk-live-123 at "
                + "http://10.0.0.1\",\"type\":\"server_error\",\"code\":\"overloaded\"}}");
        ModelBackendException broken = assertInstanceOf(ModelBackendException.class, out.getLast());
        String message = broken.getMessage();
        assertTrue(message.contains("code overloaded"), message);
        assertFalse(message.contains("sk-live") || message.contains("10.0.0.1"), message);
    }

    @Test
    void finishReasons_mapToTheDomains() {
        assertEquals(FinishReason.STOP, ChunkReader.finishReason("stop"));
        assertEquals(FinishReason.LENGTH, ChunkReader.finishReason("length"));
        assertEquals(FinishReason.TOOL_CALLS, ChunkReader.finishReason("tool_calls"));
        assertEquals(FinishReason.TOOL_CALLS, ChunkReader.finishReason("function_call"));
        assertEquals(FinishReason.CONTENT_FILTER, ChunkReader.finishReason("content_filter"));
        assertEquals(FinishReason.STOP, ChunkReader.finishReason("eos"));
    }

    @Test
    void dataThatIsNotJson_failsTheRead() {
        assertThrows(IOException.class, () -> read("{not json"));
        assertThrows(IOException.class, () -> read("[1,2]"));
    }
}
