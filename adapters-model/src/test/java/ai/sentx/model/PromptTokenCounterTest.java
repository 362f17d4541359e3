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

    @Test
    void theRange_holdsTheCount_andIsExactForInstructionsAndNonTextParts() throws IOException {
        java.util.Random random = new java.util.Random(11);
        String[] pieces = {"hello", " world", "naïve", "日本語", "😀", "\ud800", " ", "<|endoftext|>", "123456", "\n\t",
                "ééé", "🇫🇷", "a".repeat(40)};
        for (int i = 0; i < 500; i++) {
            java.util.List<ChatMessage> messages = new java.util.ArrayList<>();
            messages.add(ChatMessage.text("system", "Be brief."));
            for (int m = random.nextInt(3); m >= 0; m--) {
                StringBuilder text = new StringBuilder();
                for (int p = random.nextInt(6); p > 0; p--) text.append(pieces[random.nextInt(pieces.length)]);
                String role = random.nextBoolean() ? "user" : "assistant";
                messages.add(new ChatMessage(role, List.of(new ContentPart.Text(text.toString())),
                        random.nextInt(4) == 0 ? pieces[random.nextInt(pieces.length)] : null, null, null));
            }
            ModelRequest request = request(messages, random.nextInt(4) == 0 ? "[{\"type\":\"function\"}]" : null);
            long count = counter.count(request);
            ai.sentx.port.PromptTokenRange range = counter.range(request);
            org.junit.jupiter.api.Assertions.assertTrue(range.atLeast() <= count && count <= range.atMost(),
                    range + " does not hold " + count + " for " + messages);
        }
        ChatMessage image = new ChatMessage("user", List.of(new ContentPart.Image("image/png", png(1024, 1024))),
                null, null, null);
        ModelRequest exact = request(List.of(ChatMessage.text("system", "Be brief."), image), null);
        assertEquals(ai.sentx.port.PromptTokenRange.exactly(counter.count(exact)), counter.range(exact));
        ModelRequest hello = request(List.of(ChatMessage.text("user", "hello world")), null);
        assertEquals(new ai.sentx.port.PromptTokenRange(3 + 3 + 1 + 1, 3 + 3 + 1 + 11), counter.range(hello));
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
