package ai.sentx.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.sentx.domain.chat.ChatMessage;
import ai.sentx.domain.chat.ContentPart;
import ai.sentx.port.ModelRequest;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class PromptTokenCounterTest {
    private final Tokenizer tokenizer = Tokenizer.o200kBase();
    private final PromptTokenCounter counter = new PromptTokenCounter(tokenizer);

    @Test
    void countsFramingRoleAndText_plusThreeForTheReply() {
        // 3 (reply) + 3 (message) + 1 ("user") + 2 ("hello world")
        assertEquals(9, counter.count(request(List.of(ChatMessage.text("user", "hello world")), null)));
    }

    @Test
    void addsEveryMessage() {
        List<ChatMessage> messages = List.of(
                ChatMessage.text("system", "Be brief."),
                ChatMessage.text("user", "hello world"),
                ChatMessage.text("assistant", "Hi!"));
        long expected = 3
                + 3 + tokenizer.count("system") + tokenizer.count("Be brief.")
                + 3 + tokenizer.count("user") + tokenizer.count("hello world")
                + 3 + tokenizer.count("assistant") + tokenizer.count("Hi!");

        assertEquals(expected, counter.count(request(messages, null)));
    }

    @Test
    void addsTheNameAndOne_whenAMessageHasAName() {
        ChatMessage named = new ChatMessage("user", List.of(new ContentPart.Text("hello world")), "alice", null, null);

        assertEquals(9 + tokenizer.count("alice") + 1, counter.count(request(List.of(named), null)));
    }

    @Test
    void addsTheToolFields_andTheToolsJson() {
        String calls = "[{\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]";
        String tools = "[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"parameters\":{}}}]";
        List<ChatMessage> messages = List.of(
                new ChatMessage("assistant", List.of(), null, null, calls),
                new ChatMessage("tool", List.of(new ContentPart.Text("42")), null, "call_1", null));
        long expected = 3 + tokenizer.count(tools)
                + 3 + tokenizer.count("assistant") + tokenizer.count(calls)
                + 3 + tokenizer.count("tool") + tokenizer.count("42") + tokenizer.count("call_1");

        assertEquals(expected, counter.count(request(messages, tools)));
    }

    @Test
    void countsImagesByTheTileRule_and765WhenUnreadable() throws IOException {
        ChatMessage withImages = new ChatMessage("user", List.of(
                new ContentPart.Text("hello world"),
                new ContentPart.Image("image/png", png(1024, 1024)),
                new ContentPart.Image("image/png", new byte[] {1, 2, 3})), null, null, null);

        assertEquals(9 + 765 + 765, counter.count(request(List.of(withImages), null)));
    }

    @Test
    void countsALowDetailImageAtTheFlat85() throws IOException {
        ChatMessage low = new ChatMessage("user", List.of(
                new ContentPart.Text("hello world"),
                new ContentPart.Image("image/png", png(1024, 1024), "low")), null, null, null);

        assertEquals(9 + 85, counter.count(request(List.of(low), null)));
    }

    @Test
    void countsOtherPartsByTheirTextRepresentation() {
        ChatMessage parts = new ChatMessage("user", List.of(
                new ContentPart.FileRef("file-abc123"),
                new ContentPart.FileData("data:text/plain;base64,aGk=", "notes.txt"),
                new ContentPart.FileData("data:text/plain;base64,aGk=", null),
                new ContentPart.ImageUrl("https://example.com/cat.png", "low"),
                new ContentPart.Unsupported("input_audio")), null, null, null);
        long expected = 3 + 3 + tokenizer.count("user")
                + tokenizer.count("file-abc123") + tokenizer.count("notes.txt") + 765;

        assertEquals(expected, counter.count(request(List.of(parts), null)));
    }

    private static ModelRequest request(List<ChatMessage> messages, String toolsJson) {
        return new ModelRequest(messages, 100, List.of(), null, null, null, null, toolsJson, null, null);
    }

    private static byte[] png(int width, int height) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB), "png", out);
        return out.toByteArray();
    }
}
