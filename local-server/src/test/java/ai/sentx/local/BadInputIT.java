package ai.sentx.local;

import static ai.sentx.local.Api.ANY;
import static ai.sentx.local.Api.assertError;
import static ai.sentx.local.Api.chatBody;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sentx.local.Api.Response;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every bad input gets its documented 4xx in the error envelope, never a 500. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BadInputIT {
    private static final int TEN_MIB = 10 * 1024 * 1024;
    private static final int CHAT_BODY_LIMIT = 32 * 1024 * 1024;
    private static final String EMOJI = "\uD83D\uDE00"; // one code point, two UTF-16 units
    private static LocalServer server;
    private static Api api;

    @BeforeAll
    static void start() {
        server = TestServers.start();
        api = new Api(server);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    // ---- the body ----

    @ParameterizedTest
    @ValueSource(strings = {"{not json", "{\"model\":\"sentx-v1\",", "", "nul", "{\"model\":\"m\" \"messages\":[]}"})
    void malformedJson_is400InvalidJson(String body) {
        assertError(api.chat(body), 400, "invalid_json", null);
    }

    @Test
    void aValidObjectFollowedByMoreData_is400InvalidJson_andIsNeitherServedNorBilled() {
        long before = api.balance();
        String valid = Api.write(chatBody("hi").put("max_tokens", 1));
        assertError(api.chat(valid + "}"), 400, "invalid_json", null);
        assertError(api.chat(valid + " {\"stream\":true}"), 400, "invalid_json", null);
        assertError(api.chat(valid + "garbage"), 400, "invalid_json", null);
        assertEquals(before, api.balance(), "nothing billed");
    }

    @Test
    void deeplyNestedJson_is400InvalidJson_notAStackOverflow() {
        String deep = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"metadata\":{\"k\":"
                + "[".repeat(50_000) + "]".repeat(50_000) + "}}";
        assertError(api.chat(deep), 400, "invalid_json", null);
    }

    @Test
    void aValidBodyUnderTheSizeLimit_withOneStringOver20MillionCharacters_isServed_notCalledInvalidJson() {
        // 20,000,001 characters of text in one string: valid JSON, about 20 MB, under the 32 MiB limit.
        String text = "ab ".repeat(6_666_667);
        Response r = api.chat(chatBody(text).put("max_tokens", 1));
        assertEquals(200, r.status(), () -> "a valid " + text.length() + "-character prompt: " + r);
        assertEquals(500, Api.expectedCost(r.json().get("usage").get("prompt_tokens").asLong(), 1), "capped");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "42", "\"text\"", "null", "true"})
    void aBodyThatIsNotAnObject_is400InvalidJson(String body) {
        assertError(api.chat(body), 400, "invalid_json", null);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "messages a string        | {\"model\":\"m\",\"messages\":\"hi\"}                                           | messages",
            "messages an object       | {\"model\":\"m\",\"messages\":{\"role\":\"user\"}}                              | messages",
            "stream \"yes\"           | {\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"stream\":\"yes\"}    | stream",
            "max_tokens -1            | {\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":-1}     | max_tokens",
            "max_tokens 0             | {\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":0}      | max_tokens",
            "max_tokens \"5\"         | {\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":\"5\"}  | max_tokens",
            "max_tokens 1.5           | {\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":1.5}    | max_tokens",
            "max_completion_tokens -3 | {\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_completion_tokens\":-3} | max_completion_tokens",
            "temperature 5            | {\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"temperature\":5}    | temperature",
            "temperature \"hot\"      | {\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"temperature\":\"hot\"} | temperature",
            "top_p 2                  | {\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"top_p\":2}          | top_p",
            "model a number           | {\"model\":7,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}                          | model",
            "empty messages           | {\"model\":\"m\",\"messages\":[]}                                               | messages",
            "unknown role             | {\"model\":\"m\",\"messages\":[{\"role\":\"wizard\",\"content\":\"hi\"}]}                      | messages[0].role",
            "message not an object    | {\"model\":\"m\",\"messages\":[\"hi\"]}                                           | messages[0]",
            "content a number         | {\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":5}]}                           | messages[0].content",
            "unknown part type        | {\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"hologram\",\"text\":\"x\"}]}]} | messages[0].content[0].type",
            "stop a number            | {\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"stop\":3}           | stop",
            "stream_options w/o stream | {\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"stream_options\":{\"include_usage\":true}} | stream_options",
            "stream_options, false    | {\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"stream\":false,\"stream_options\":{\"include_usage\":true}} | stream_options",
            "n 2                      | {\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"n\":2}              | n",
            "user a number            | {\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"user\":42}          | user",
    })
    void aFieldOfTheWrongTypeOrValue_is400InvalidParameter_namingIt(String what, String body, String param) {
        assertError(api.chat(body), 400, "invalid_parameter", param);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "no model        | {\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}            | model",
            "null model      | {\"model\":null,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]} | model",
            "no messages     | {\"model\":\"sentx-v1\"}                                         | messages",
            "no role         | {\"model\":\"m\",\"messages\":[{\"content\":\"hi\"}]}                | messages[0].role",
            "no user content | {\"model\":\"m\",\"messages\":[{\"role\":\"user\"}]}                 | messages[0].content",
    })
    void aMissingRequiredField_is400MissingRequiredParameter(String what, String body, String param) {
        assertError(api.chat(body), 400, "missing_required_parameter", param);
    }

    @Test
    void unknownFields_areIgnored_andNOfOneIsAccepted() {
        ObjectNode body = chatBody("hi").put("n", 1).put("max_tokens", 2).put("some_future_field", "x");
        body.putObject("metadata").put("k", "v");
        Response r = api.chat(body);
        assertEquals(200, r.status(), r::toString);
    }

    // ---- size limits ----

    @Test
    void aBodyDeclaredLargerThan32MiB_is413_beforeItIsSent() throws IOException {
        try (RawHttp http = new RawHttp(api.origin)) {
            Map<String, String> h = new LinkedHashMap<>();
            h.put("Authorization", "Bearer " + api.key);
            h.put("Content-Type", "application/json");
            h.put("Content-Length", Integer.toString(CHAT_BODY_LIMIT + 1));
            http.send("POST", "/v1/chat/completions", h, "{\"model\":".getBytes(StandardCharsets.US_ASCII));
            RawHttp.Head head = http.readHead();
            String body = new String(http.readBody(head), StandardCharsets.UTF_8);
            assertError(raw(head, body), 413, "request_too_large", null);
        }
    }

    @Test
    void aChunkedBodyWithoutLengthOver32MiB_is413() throws IOException {
        try (RawHttp http = new RawHttp(api.origin)) {
            Map<String, String> h = new LinkedHashMap<>();
            h.put("Authorization", "Bearer " + api.key);
            h.put("Content-Type", "application/json");
            h.put("Transfer-Encoding", "chunked");
            http.send("POST", "/v1/chat/completions", h, null);
            OutputStream out = http.output();
            byte[] mib = new byte[1024 * 1024];
            java.util.Arrays.fill(mib, (byte) ' ');
            for (int i = 0; i < 32; i++) writeChunk(out, mib);
            writeChunk(out, "        {}".getBytes(StandardCharsets.US_ASCII)); // 10 bytes past the limit
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            RawHttp.Head head = http.readHead();
            String body = new String(http.readBody(head), StandardCharsets.UTF_8);
            assertError(raw(head, body), 413, "request_too_large", null);
        }
    }

    @Test
    void anInlineImageOver10MiBDecoded_is400ImageTooLarge_andExactly10MiBPasses() {
        Response tooLarge = api.chat(imageRequest(png(TEN_MIB + 1)));
        assertError(tooLarge, 400, "image_too_large", "messages[0].content[0].image_url.url");
        Response exactly = api.chat(imageRequest(png(TEN_MIB)));
        assertEquals(200, exactly.status(), exactly::toString);
    }

    @ParameterizedTest
    @ValueSource(strings = {"data:image/png;base64,!!!not-base64!!!", "data:image/png;base64,iVBORw0KGgo=@@",
            "data:image/png;base64", "data:image/png,plain-not-base64"})
    void invalidBase64OrAMalformedDataUrl_is400InvalidImage(String url) {
        assertError(api.chat(imageRequest(url)), 400, "invalid_image", "messages[0].content[0].image_url.url");
    }

    @Test
    void aDataUrlOfBytesThatAreNotAnImage_is400InvalidImage() {
        String text = Base64.getEncoder().encodeToString("just some text, not a PNG".getBytes(StandardCharsets.UTF_8));
        assertError(api.chat(imageRequest("data:image/png;base64," + text)), 400, "invalid_image",
                "messages[0].content[0].image_url.url");
        String pdf = Base64.getEncoder().encodeToString("%PDF-1.4\n%âãÏÓ\n".getBytes(StandardCharsets.ISO_8859_1));
        assertError(api.chat(imageRequest("data:image/png;base64," + pdf)), 400, "invalid_image",
                "messages[0].content[0].image_url.url");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://example.com/cat.png", "https://example.com/cat.png", "file:///etc/passwd",
            "ftp://example.com/cat.png", "s3://bucket/cat.png", "HTTP://EXAMPLE.COM/CAT.PNG", "gs://b/o.png",
            "//example.com/cat.png", "cat.png"})
    void aUrlThatIsNotDataUrl_is400UnsupportedUrlScheme(String url) {
        assertError(api.chat(imageRequest(url)), 400, "unsupported_url_scheme", "messages[0].content[0].image_url.url");
    }

    @Test
    void anInputFileWithAnUnknownId_is400FileNotFound() {
        ObjectNode body = chatBody("x");
        ArrayNode parts = ((ObjectNode) body.get("messages").get(0)).putArray("content");
        parts.addObject().put("type", "input_file").put("file_id", "file-doesnotexist123");
        parts.addObject().put("type", "text").put("text", "Summarize this.");
        assertError(api.chat(body), 400, "file_not_found", ANY);

        ObjectNode openAiForm = chatBody("x");
        ((ObjectNode) openAiForm.get("messages").get(0)).putArray("content").addObject().put("type", "file")
                .putObject("file").put("file_id", "file-doesnotexist456");
        assertError(api.chat(openAiForm), 400, "file_not_found", ANY);
    }

    // ---- system text: 2,000 code points, system and developer together ----

    @Test
    void systemText_ofExactly2000CodePoints_isAccepted_evenAs4000Utf16Units() {
        Response r = api.chat(withInstructions(EMOJI.repeat(2000), null));
        assertEquals(200, r.status(), r::toString);
        Response split = api.chat(withInstructions(EMOJI.repeat(1000), EMOJI.repeat(1000)));
        assertEquals(200, split.status(), split::toString);
    }

    @Test
    void systemText_of2001CodePoints_is400SystemMessageTooLong_countingSystemAndDeveloperTogether() {
        assertError(api.chat(withInstructions(EMOJI.repeat(2001), null)), 400, "system_message_too_long", ANY);
        assertError(api.chat(withInstructions(EMOJI.repeat(1000), EMOJI.repeat(1001))), 400,
                "system_message_too_long", ANY);
        assertError(api.chat(withInstructions("a".repeat(2001), null)), 400, "system_message_too_long", ANY);
    }

    // ---- identity headers ----

    @ParameterizedTest
    @ValueSource(strings = {"%E0%A4%A", "%ZZ", "Al%", "%E0%A4", "%C3%28", "%FF"})
    void malformedPercentEncodingInAnIdentityHeader_is400NamingTheHeader(String value) {
        assertError(api.chat(chatBody("hi"), "X-User-Name", value), 400, "invalid_parameter", "X-User-Name");
        assertError(api.chat(chatBody("hi"), "X-User-Id", value), 400, "invalid_parameter", "X-User-Id");
        assertError(api.chat(chatBody("hi"), "X-Session-Id", value), 400, "invalid_parameter", "X-Session-Id");
    }

    @Test
    void anIdentityOver256Characters_is400_and256Pass() {
        assertError(api.chat(chatBody("hi").put("max_tokens", 1), "X-User-Id", "u".repeat(257)), 400,
                "invalid_parameter", "X-User-Id");
        assertError(api.chat(chatBody("hi").put("max_tokens", 1), "X-Session-Id", "s".repeat(257)), 400,
                "invalid_parameter", "X-Session-Id");
        assertError(api.chat(chatBody("hi").put("max_tokens", 1), "X-User-Name", "%C3%A9".repeat(257)), 400,
                "invalid_parameter", "X-User-Name");
        assertError(api.chat(chatBody("hi").put("max_tokens", 1).put("user", "u".repeat(257))), 400,
                "invalid_parameter", "user");
        assertError(api.chat(chatBody("hi").put("max_tokens", 1).put("user_name", EMOJI.repeat(257))), 400,
                "invalid_parameter", "user_name");

        Response ok = api.chat(chatBody("hi").put("max_tokens", 1).put("user_name", EMOJI.repeat(256)),
                "X-User-Id", "u".repeat(256), "X-Session-Id", "%C3%A9".repeat(256));
        assertEquals(200, ok.status(), "256 characters (counted after decoding) pass: " + ok);
    }

    // ---- authentication ----

    @Test
    void missingMalformedOrUnknownApiKeys_are401InvalidApiKey() {
        String body = Api.write(chatBody("hi"));
        assertError(api.send("POST", "/v1/chat/completions", null, body), 401, "invalid_api_key", null);
        assertError(api.send("POST", "/v1/chat/completions", "abc", body), 401, "invalid_api_key", null);
        assertError(api.send("POST", "/v1/chat/completions", "sk-short", body), 401, "invalid_api_key", null);
        assertError(api.send("POST", "/v1/chat/completions", api.key + "!", body), 401, "invalid_api_key", null);
        assertError(api.send("POST", "/v1/chat/completions", TestServers.newKey(), body), 401, "invalid_api_key",
                null);
        assertError(api.send("POST", "/v1/chat/completions", null, body, "Authorization", "Basic " + api.key), 401,
                "invalid_api_key", null);
        assertError(api.get("/v1/models", null), 401, "invalid_api_key", null);
    }

    @Test
    void aSessionTokenIsNeverAnApiKey_andAnApiKeyIsNeverASession() {
        assertError(api.send("POST", "/v1/chat/completions", api.session, Api.write(chatBody("hi"))), 401,
                "invalid_api_key", null);
        assertError(api.get("/v1/models", api.session), 401, "invalid_api_key", null);
        assertError(api.get("/account", api.key), 401, ANY, null);
        assertError(api.get("/account/usage", api.key), 401, ANY, null);
        assertError(api.get("/account/keys", api.key), 401, ANY, null);
        assertError(api.get("/account", null), 401, ANY, null);
        assertError(api.get("/account", "sess_unknown"), 401, ANY, null);
    }

    @Test
    void badInputIsNeverBilled() {
        long before = api.balance();
        api.chat("{not json");
        api.chat(imageRequest("http://example.com/a.png"));
        api.chat(withInstructions("a".repeat(2001), null));
        assertEquals(before, api.balance());
    }

    // ---- helpers ----

    private static Response raw(RawHttp.Head head, String body) {
        return RawHttp.response(head, body);
    }

    private static void writeChunk(OutputStream out, byte[] data) throws IOException {
        out.write((Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(data);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    private static ObjectNode imageRequest(String url) {
        ObjectNode body = chatBody("x").put("max_tokens", 1);
        ArrayNode parts = ((ObjectNode) body.get("messages").get(0)).putArray("content");
        parts.addObject().put("type", "image_url").putObject("image_url").put("url", url);
        parts.addObject().put("type", "text").put("text", "What does this show?");
        return body;
    }

    private static String imageRequest(byte[] image) {
        return Api.write(imageRequest("data:image/png;base64," + Base64.getEncoder().encodeToString(image)));
    }

    /** A PNG signature and a real IHDR chunk (1×1), padded with zeros to {@code size} bytes. */
    private static byte[] png(int size) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(size);
        out.writeBytes(new byte[]{(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
        ByteBuffer ihdr = ByteBuffer.allocate(17).put("IHDR".getBytes(StandardCharsets.US_ASCII))
                .putInt(1).putInt(1).put((byte) 8).put((byte) 6).put((byte) 0).put((byte) 0).put((byte) 0);
        CRC32 crc = new CRC32();
        crc.update(ihdr.array());
        out.writeBytes(ByteBuffer.allocate(4).putInt(13).array());
        out.writeBytes(ihdr.array());
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
        byte[] bytes = java.util.Arrays.copyOf(out.toByteArray(), size);
        assertTrue(bytes.length == size);
        return bytes;
    }

    private static ObjectNode withInstructions(String system, String developer) {
        ObjectNode body = Api.JSON.createObjectNode().put("model", "sentx-v1").put("max_tokens", 1);
        ArrayNode messages = body.putArray("messages");
        messages.addObject().put("role", "system").put("content", system);
        if (developer != null) messages.addObject().put("role", "developer").put("content", developer);
        messages.addObject().put("role", "user").put("content", "hi");
        return body;
    }
}
