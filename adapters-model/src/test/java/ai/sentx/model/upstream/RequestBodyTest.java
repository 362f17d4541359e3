package ai.sentx.model.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.sentx.domain.chat.ChatMessage;
import ai.sentx.domain.chat.ContentPart;
import ai.sentx.domain.files.FileFormat;
import ai.sentx.port.ModelBackendException;
import ai.sentx.port.ModelRequest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestBodyTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final UpstreamConfig CONFIG = UpstreamConfig.of(URI.create("http://h/v1"), null, "the-model");

    private static JsonNode write(List<ChatMessage> messages) throws Exception {
        ModelRequest r = new ModelRequest(messages, 10, List.of(), null, null, null, null, null, null, null);
        return JSON.readTree(RequestBody.write(JSON.getFactory(), r, CONFIG, 10));
    }

    @Test
    void aDocumentGoesUpstreamAsItsTextThenItsPageImages() throws Exception {
        ContentPart.Image page = new ContentPart.Image("image/png", new byte[] {1, 2, 3});
        JsonNode body = write(List.of(new ChatMessage("user", List.of(
                new ContentPart.Document(FileFormat.PDF, "r.pdf", "Revenue grew.", List.of(page, page), new byte[] {9}),
                new ContentPart.Text("Summarise.")), null, null, null)));
        JsonNode content = body.at("/messages/0/content");
        assertEquals(4, content.size(), content::toString);
        assertEquals("[file r.pdf]\nRevenue grew.", content.get(0).get("text").asText());
        assertEquals("data:image/png;base64,AQID", content.get(1).at("/image_url/url").asText());
        assertEquals("image_url", content.get(2).get("type").asText());
        assertEquals("Summarise.", content.get(3).get("text").asText());
    }

    @Test
    void aMinimalRequest_hasOnlyTheFieldsItNeeds() throws Exception {
        JsonNode body = write(List.of(ChatMessage.text("user", "Hi")));
        assertEquals(JSON.readTree("""
                {"model":"the-model","messages":[{"role":"user","content":"Hi"}],"stream":true,
                 "stream_options":{"include_usage":true},"max_completion_tokens":10}"""), body);
    }

    @Test
    void severalTextParts_stayParts_andAnEmptyUserMessageIsAnEmptyString() throws Exception {
        JsonNode body = write(List.of(
                new ChatMessage("user", List.of(new ContentPart.Text("a"), new ContentPart.Text("b")), null, null, null),
                new ChatMessage("user", List.of(), null, null, null)));
        assertEquals(JSON.readTree("[{\"type\":\"text\",\"text\":\"a\"},{\"type\":\"text\",\"text\":\"b\"}]"),
                body.get("messages").get(0).get("content"));
        assertEquals("", body.get("messages").get(1).get("content").asText());
    }

    @Test
    void contentThatNoServerTakes_isRejected() {
        for (ContentPart p : List.of(new ContentPart.FileRef("file-1"), new ContentPart.Unsupported("input_audio"),
                new ContentPart.FileData("data:text/plain;base64,aGk=", "a.txt"),
                new ContentPart.ImageUrl("https://example.com/cat.png", null))) {
            ModelBackendException e = assertThrows(ModelBackendException.class,
                    () -> write(List.of(new ChatMessage("user", List.of(p), null, null, null))));
            assertEquals(ModelBackendException.Kind.REJECTED, e.kind(), p::toString);
        }
    }
}
