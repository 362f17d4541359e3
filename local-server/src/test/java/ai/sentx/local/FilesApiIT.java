package ai.sentx.local;

import static ai.sentx.local.Api.assertError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.HttpResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionContentPart;
import com.openai.models.chat.completions.ChatCompletionContentPartText;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.files.FileCreateParams;
import com.openai.models.files.FileDeleted;
import com.openai.models.files.FileListParams;
import com.openai.models.files.FileObject;
import com.openai.models.files.FilePurpose;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The Files API through the official Java SDK and raw HTTP, and files used in chat. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FilesApiIT {
    private static LocalServer server;
    private static OpenAIClient client;
    private static Api api;

    @BeforeAll
    static void start() {
        server = TestServers.start();
        api = new Api(server);
        client = OpenAIOkHttpClient.builder().apiKey(server.demoApiKey()).baseUrl(server.origin() + "/v1")
                .maxRetries(0).timeout(Duration.ofSeconds(60)).build();
    }

    @AfterAll
    static void stop() {
        if (client != null) client.close();
        if (server != null) server.close();
    }

    @Test
    void javaSdk_uploadsAPath_thenRetrievesReadsAndDeletesIt(@TempDir Path dir) throws Exception {
        Path notes = dir.resolve("notes-" + System.nanoTime() + ".md");
        Files.writeString(notes, "# Notes\n\nThe launch code word is *tangerine*.\n");
        FileObject f = client.files().create(FileCreateParams.builder().file(notes).purpose(FilePurpose.ASSISTANTS).build());
        assertTrue(f.id().startsWith("file-"), f.id());
        assertEquals(notes.getFileName().toString(), f.filename());
        assertEquals(Files.size(notes), f.bytes());
        assertEquals(FileObject.Status.PROCESSED, f.status());
        assertEquals(f.createdAt() + 30L * 24 * 3600, f.expiresAt().orElseThrow());

        FileObject again = client.files().retrieve(f.id());
        assertEquals(f.id(), again.id());
        try (HttpResponse content = client.files().content(f.id())) {
            assertArrayEquals(Files.readAllBytes(notes), content.body().readAllBytes());
        }
        FileDeleted deleted = client.files().delete(f.id());
        assertTrue(deleted.deleted());
        assertEquals(f.id(), deleted.id());
        assertThrows(NotFoundException.class, () -> client.files().retrieve(f.id()));
        assertError(api.get("/v1/files/" + f.id() + "/content", api.key), 404, "file_not_found", Api.ANY);
        assertError(api.send("DELETE", "/v1/files/" + f.id(), api.key, null), 404, "file_not_found", Api.ANY);
    }

    @Test
    void javaSdk_uploadsBytesWithoutAFilename_andTheFormatComesFromTheBytes() {
        byte[] pdf = Uploads.pdf("Quarterly revenue grew " + System.nanoTime() + " percent.");
        FileObject f = client.files().create(FileCreateParams.builder().file(pdf).purpose(FilePurpose.USER_DATA).build());
        assertEquals(pdf.length, f.bytes());
        assertTrue(f.filename().endsWith(".pdf") || !f.filename().isBlank(), f.filename());
        try (HttpResponse content = client.files().content(f.id())) {
            assertEquals("application/pdf", content.headers().values("content-type").getFirst());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void sameBytesTwice_giveTheSameFileId() {
        byte[] text = ("dedupe me " + System.nanoTime()).getBytes(StandardCharsets.UTF_8);
        FileObject a = client.files().create(FileCreateParams.builder().file(text).purpose(FilePurpose.ASSISTANTS).build());
        FileObject b = client.files().create(FileCreateParams.builder().file(text).purpose(FilePurpose.ASSISTANTS).build());
        assertEquals(a.id(), b.id());
        byte[] other = ("dedupe me not " + System.nanoTime()).getBytes(StandardCharsets.UTF_8);
        FileObject c = client.files().create(FileCreateParams.builder().file(other).purpose(FilePurpose.ASSISTANTS).build());
        assertNotEquals(a.id(), c.id());
    }

    @Test
    void listing_pagesWithAfter_andTheJavaSdkStopsOnTheEmptyPage() {
        String purpose = "evals";
        List<String> uploaded = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            byte[] text = ("page me " + i + " " + System.nanoTime()).getBytes(StandardCharsets.UTF_8);
            uploaded.add(client.files().create(FileCreateParams.builder().file(text)
                    .purpose(FilePurpose.EVALS).build()).id());
        }
        List<String> seen = new ArrayList<>();
        client.files().list(FileListParams.builder().limit(2).purpose(purpose).build())
                .autoPager().forEach(f -> seen.add(f.id()));
        // Newest first by default; ids created in the same second keep a stable order.
        assertEquals(5, seen.size(), seen::toString);
        assertEquals(new java.util.HashSet<>(uploaded), new java.util.HashSet<>(seen));

        JsonNode first = api.get("/v1/files?limit=2&purpose=" + purpose, api.key).json();
        assertEquals("list", first.get("object").asText());
        assertEquals(2, first.get("data").size());
        assertTrue(first.get("has_more").asBoolean());
        assertEquals(first.get("data").get(0).get("id").asText(), first.get("first_id").asText());
        assertEquals(first.get("data").get(1).get("id").asText(), first.get("last_id").asText());
        JsonNode last = api.get("/v1/files?limit=10&purpose=" + purpose + "&after=" + seen.getLast(), api.key).json();
        assertEquals(0, last.get("data").size());
        assertFalse(last.get("has_more").asBoolean());

        List<String> ascending = new ArrayList<>();
        api.get("/v1/files?order=asc&purpose=" + purpose, api.key).json().get("data")
                .forEach(f -> ascending.add(f.get("id").asText()));
        assertEquals(seen.reversed(), ascending);
    }

    @Test
    void aPdfUsedInChat_reachesTheModelAsText_andCountsInPromptTokens() {
        String marker = "Zanzibar" + System.nanoTime();
        byte[] pdf = Uploads.pdf("The secret city is " + marker + ".", "Page two says nothing.");
        FileObject f = client.files().create(FileCreateParams.builder().file(pdf).purpose(FilePurpose.USER_DATA).build());
        ChatCompletion withFile = client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("sentx-v1")
                .addUserMessageOfArrayOfContentParts(List.of(
                        ChatCompletionContentPart.ofFile(ChatCompletionContentPart.File.builder()
                                .file(ChatCompletionContentPart.File.FileObject.builder().fileId(f.id()).build())
                                .build()),
                        ChatCompletionContentPart.ofText(ChatCompletionContentPartText.builder()
                                .text("Which city does the file name?").build())))
                .build());
        String reply = withFile.choices().getFirst().message().content().orElseThrow();
        assertTrue(reply.contains(marker), reply);
        ChatCompletion without = client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("sentx-v1").addUserMessage("Which city does the file name?").build());
        long extra = withFile.usage().orElseThrow().promptTokens() - without.usage().orElseThrow().promptTokens();
        // The text of two pages plus two rendered page images (85+ tokens each).
        assertTrue(extra > 170, "attachment tokens: " + extra);
    }

    @Test
    void inputFilePart_andUnknownFileIds() {
        byte[] csv = ("city,population\nLyon," + System.nanoTime() + "\n").getBytes(StandardCharsets.UTF_8);
        JsonNode up = Uploads.upload(api, "cities.csv", csv, "assistants").json();
        String body = """
                {"model":"sentx-v1","messages":[{"role":"user","content":[
                  {"type":"input_file","file_id":"%s"},{"type":"text","text":"What is in it?"}]}]}"""
                .formatted(up.get("id").asText());
        Api.Response ok = api.chat(body);
        assertEquals(200, ok.status(), ok::toString);
        assertTrue(ok.json().at("/choices/0/message/content").asText().contains("cities.csv"), ok::toString);

        Api.Response unknown = api.chat(body.replace(up.get("id").asText(), "file-doesnotexist"));
        assertError(unknown, 400, "file_not_found", "messages[0].content[0].file_id");
        BadRequestException e = assertThrows(BadRequestException.class, () -> client.chat().completions().create(
                ChatCompletionCreateParams.builder().model("sentx-v1")
                        .addUserMessageOfArrayOfContentParts(List.of(ChatCompletionContentPart.ofFile(
                                ChatCompletionContentPart.File.builder().file(ChatCompletionContentPart.File.FileObject
                                        .builder().fileId("file-nope").build()).build()))).build()));
        assertEquals("file_not_found", e.code().orElseThrow());
    }

    @Test
    void inlineFileData_pdf_isRead() {
        String marker = "Kilimanjaro" + System.nanoTime();
        String b64 = java.util.Base64.getEncoder().encodeToString(Uploads.pdf("The mountain is " + marker + "."));
        String body = """
                {"model":"sentx-v1","messages":[{"role":"user","content":[
                  {"type":"file","file":{"file_data":"data:application/pdf;base64,%s","filename":"m.pdf"}}]}]}"""
                .formatted(b64);
        Api.Response r = api.chat(body);
        assertEquals(200, r.status(), r::toString);
        assertTrue(r.json().at("/choices/0/message/content").asText().contains(marker), r::toString);
        String notAFormat = body.replace(b64, java.util.Base64.getEncoder().encodeToString(new byte[] {'M', 'Z', 0, 1, 2, 3}));
        assertError(api.chat(notAFormat), 400, "invalid_file_format", Api.ANY);
    }

    @Test
    void anUploadedImage_reachesTheModelAsVisionInput() throws Exception {
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(64, 32, java.awt.image.BufferedImage.TYPE_INT_RGB);
        img.setRGB(1, 1, (int) (System.nanoTime() & 0xFFFFFF));
        java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(img, "png", png);
        FileObject f = client.files().create(FileCreateParams.builder().file(png.toByteArray())
                .purpose(FilePurpose.VISION).build());
        String body = """
                {"model":"sentx-v1","messages":[{"role":"user","content":[
                  {"type":"input_file","file_id":"%s"},{"type":"text","text":"What is in the picture?"}]}]}"""
                .formatted(f.id());
        Api.Response r = api.chat(body);
        assertEquals(200, r.status(), r::toString);
        assertTrue(r.json().at("/choices/0/message/content").asText().contains("64x32"), r::toString);
    }

    @Test
    void videoGoesOnlyToABackendThatTakesIt() {
        byte[] mp4 = mp4();
        JsonNode up = Uploads.upload(api, "clip.mp4", mp4, "assistants").json();
        assertEquals("clip.mp4", up.get("filename").asText(), up::toString);
        String body = """
                {"model":"sentx-v1","messages":[{"role":"user","content":[{"type":"input_file","file_id":"%s"}]}]}"""
                .formatted(up.get("id").asText());
        assertError(api.chat(body), 400, "unsupported_content", Api.ANY);
    }

    @Test
    void theEicarTestFile_is422_andNothingIsStored() {
        int before = api.get("/v1/files", api.key).json().get("data").size();
        Api.Response r = Uploads.upload(api, "eicar.txt", Uploads.EICAR.getBytes(StandardCharsets.US_ASCII), "assistants");
        assertError(r, 422, "av_hit", Api.ANY);
        assertEquals("false", r.header("x-should-retry"));
        assertEquals(before, api.get("/v1/files", api.key).json().get("data").size());
    }

    @Test
    void badUploads_getTheDocumentedErrors() {
        assertError(Uploads.upload(api, "empty.txt", new byte[0], "assistants"), 400, "invalid_file_format", Api.ANY);
        assertError(Uploads.upload(api, "tool.exe", new byte[] {'M', 'Z', (byte) 0x90, 0, 3, 0, 0, 0}, "assistants"),
                400, "invalid_file_format", Api.ANY);
        assertError(Uploads.upload(api, "latin1.txt", new byte[] {'c', 'a', 'f', (byte) 0xE9}, "assistants"),
                400, "invalid_file_format", Api.ANY);
        assertError(Uploads.upload(api, "a.txt", "x".getBytes(), null), 400, "missing_required_parameter", "purpose");
        assertError(Uploads.upload(api, "a.txt", "x".getBytes(), "homework"), 400, "invalid_parameter", "purpose");
        assertError(Uploads.send(api, "{}".getBytes(), "application/json"), 400, "invalid_parameter", Api.ANY);
        assertError(Uploads.send(api, "--x\r\nnot really".getBytes(), "multipart/form-data; boundary=x"),
                400, "invalid_parameter", Api.ANY);
        byte[] big = new byte[25 * 1024 * 1024 + 1];
        java.util.Arrays.fill(big, (byte) 'a');
        assertError(Uploads.upload(api, "big.txt", big, "assistants"), 413, "file_too_large", Api.ANY);
        assertError(api.get("/v1/files?limit=0", api.key), 400, "invalid_parameter", "limit");
        assertError(api.get("/v1/files?order=sideways", api.key), 400, "invalid_parameter", "order");
        assertError(api.get("/v1/files/file-x/other", api.key), 404, "not_found", Api.ANY);
        assertError(api.send("PUT", "/v1/files", api.key, "{}"), 405, "method_not_allowed", Api.ANY);
        assertError(api.get("/v1/files", null), 401, "invalid_api_key", Api.ANY);
    }

    @Test
    void aFileOfExactly25MB_isAccepted() {
        byte[] big = new byte[25 * 1024 * 1024];
        java.util.Arrays.fill(big, (byte) 'b');
        big[0] = (byte) ('0' + (System.nanoTime() % 10));
        Api.Response r = Uploads.upload(api, "big.txt", big, "assistants");
        assertEquals(200, r.status(), r::toString);
        assertEquals(big.length, r.json().get("bytes").asLong());
        assertEquals(200, api.send("DELETE", "/v1/files/" + r.json().get("id").asText(), api.key, null).status());
    }

    /** The smallest ISO base media file a detector calls mp4: an ftyp box with brand isom. */
    static byte[] mp4() {
        byte[] b = new byte[64];
        byte[] head = {0, 0, 0, 0x20, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm', 0, 0, 2, 0, 'i', 's', 'o', 'm', 'i', 's',
                'o', '2', 'a', 'v', 'c', '1', 'm', 'p', '4', '1', 0, 0, 0, 0x20, 'f', 'r', 'e', 'e'};
        System.arraycopy(head, 0, b, 0, head.length);
        b[63] = (byte) System.nanoTime();
        return b;
    }
}
