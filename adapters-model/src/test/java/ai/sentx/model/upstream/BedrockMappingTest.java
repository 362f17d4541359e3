package ai.sentx.model.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.sentx.domain.chat.ChatMessage;
import ai.sentx.domain.chat.ContentPart;
import ai.sentx.domain.chat.FinishReason;
import ai.sentx.domain.files.FileFormat;
import ai.sentx.port.ModelBackendException;
import ai.sentx.port.ModelRequest;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.document.Document;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamRequest;
import software.amazon.awssdk.services.bedrockruntime.model.DocumentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.DocumentFormat;
import software.amazon.awssdk.services.bedrockruntime.model.ImageFormat;
import software.amazon.awssdk.services.bedrockruntime.model.ToolChoice;
import software.amazon.awssdk.services.bedrockruntime.model.VideoFormat;

class BedrockMappingTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOOLS = "[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}]";

    private static ConverseStreamRequest map(List<ChatMessage> messages, String tools, String toolChoice)
            throws ModelBackendException {
        return BedrockRequests.converseStream(new ModelRequest(messages, 10, List.of(), null, null, null, null, tools,
                toolChoice, null), "m", 10, JSON);
    }

    @Test
    void consecutiveMessagesOfOneRole_areMerged_andBlankTextsLeftOut() throws Exception {
        ConverseStreamRequest r = map(List.of(ChatMessage.text("user", "a"), ChatMessage.text("user", " "),
                ChatMessage.text("user", "b"), ChatMessage.text("assistant", "c")), null, null);
        assertEquals(2, r.messages().size());
        assertEquals(ConversationRole.USER, r.messages().get(0).role());
        assertEquals(2, r.messages().get(0).content().size());
        assertNull(r.toolConfig());
    }

    @Test
    void toolChoice_autoRequiredNoneAndNamed() throws Exception {
        List<ChatMessage> hi = List.of(ChatMessage.text("user", "hi"));
        assertEquals(ToolChoice.Type.AUTO, map(hi, TOOLS, "\"auto\"").toolConfig().toolChoice().type());
        assertEquals(ToolChoice.Type.ANY, map(hi, TOOLS, "\"required\"").toolConfig().toolChoice().type());
        assertNull(map(hi, TOOLS, "\"none\"").toolConfig(), "none sends no tools");
        assertEquals("f", map(hi, TOOLS, "{\"type\":\"function\",\"function\":{\"name\":\"f\"}}").toolConfig()
                .toolChoice().tool().name());
        assertNull(map(hi, TOOLS, null).toolConfig().toolChoice());
        assertThrows(ModelBackendException.class, () -> map(hi, "[{\"type\":\"function\",\"function\":{}}]", null));
    }

    @Test
    void partsBedrockCannotTakeThroughThisMapping_areRejected() {
        assertThrows(ModelBackendException.class, () -> map(List.of(new ChatMessage("user",
                List.of(new ContentPart.FileRef("file-1")), null, null, null)), null, null));
        assertThrows(ModelBackendException.class, () -> map(List.of(new ChatMessage("user",
                List.of(new ContentPart.Image("image/bmp", new byte[1])), null, null, null)), null, null));
    }

    @Test
    void documents_goNativelyWithTheirBytes_orAsTextAndPageImages_andVideoAsVideo() throws Exception {
        byte[] pdf = {'%', 'P', 'D', 'F'};
        ContentPart.Image page = new ContentPart.Image("image/png", new byte[] {1, 2});
        ConverseStreamRequest r = map(List.of(new ChatMessage("user", List.of(
                new ContentPart.Document(FileFormat.PDF, "Q3 report (final).pdf", "Revenue grew.", List.of(page), pdf),
                new ContentPart.Document(FileFormat.XLSX, "big.xlsx", "# Sheet: a", List.of(page), null),
                new ContentPart.Video(FileFormat.MOV, "clip.mov", new byte[] {9}),
                new ContentPart.Text("Summarise.")), null, null, null)), null, null);
        List<ContentBlock> blocks = r.messages().get(0).content();
        DocumentBlock nativeDoc = blocks.get(0).document();
        assertEquals(DocumentFormat.PDF, nativeDoc.format());
        assertEquals("Q3 report (final) (1)", nativeDoc.name());
        assertEquals(4, nativeDoc.source().bytes().asByteArray().length);
        assertEquals("[file big.xlsx]\n# Sheet: a", blocks.get(1).text(), "too big to go natively: its text");
        assertEquals(ImageFormat.PNG, blocks.get(2).image().format(), "then its page images");
        assertEquals(VideoFormat.MOV, blocks.get(3).video().format());
        assertEquals("Summarise.", blocks.get(4).text());
        assertEquals("document", BedrockRequests.documentName("!!!.pdf", 0).replace(" (1)", ""));
    }

    @Test
    void jsonBecomesSdkDocuments_faithfully() throws Exception {
        Document d = BedrockRequests.document(JSON.readTree(
                "{\"s\":\"x\",\"i\":12345678901234,\"f\":1.5,\"b\":true,\"n\":null,\"a\":[1,{\"k\":[]}]}"));
        assertEquals("x", d.asMap().get("s").asString());
        assertEquals(12345678901234L, d.asMap().get("i").asNumber().longValue());
        assertEquals(1.5, d.asMap().get("f").asNumber().doubleValue());
        assertEquals(true, d.asMap().get("b").asBoolean());
        assertEquals(true, d.asMap().get("n").isNull());
        assertEquals(2, d.asMap().get("a").asList().size());
    }

    @Test
    void requestMetadataValues_keepOnlyWhatBedrockAllows() {
        assertEquals("user@example.com_1", BedrockRequests.metadataValue("user@example.com|1"));
        assertEquals("Al_x", BedrockRequests.metadataValue("Aléx"));
        assertEquals("_", BedrockRequests.metadataValue(""));
        assertEquals(256, BedrockRequests.metadataValue("x".repeat(300)).length());
    }

    @Test
    void stopReasons_mapToFinishReasons() {
        assertEquals(FinishReason.STOP, BedrockEvents.finishReason("end_turn"));
        assertEquals(FinishReason.STOP, BedrockEvents.finishReason("stop_sequence"));
        assertEquals(FinishReason.LENGTH, BedrockEvents.finishReason("max_tokens"));
        assertEquals(FinishReason.TOOL_CALLS, BedrockEvents.finishReason("tool_use"));
        assertEquals(FinishReason.CONTENT_FILTER, BedrockEvents.finishReason("guardrail_intervened"));
        assertEquals(FinishReason.CONTENT_FILTER, BedrockEvents.finishReason("content_filtered"));
        assertEquals(FinishReason.STOP, BedrockEvents.finishReason(null));
    }
}
