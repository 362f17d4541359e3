package ai.sentx.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.sentx.domain.FailureException;
import ai.sentx.domain.Problem;
import ai.sentx.domain.files.FileRules;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MultipartUploadTest {
    private static final String B = "----sentxBoundary7MA4YWxkTrZu0gW";

    @Test
    void reads_thePythonSdkShape_withFilenameAndContentType() throws Exception {
        byte[] content = "hello, files".getBytes(StandardCharsets.UTF_8);
        byte[] body = body(B, part("purpose", null, null, "assistants".getBytes(StandardCharsets.UTF_8)),
                part("file", "report.txt", "text/plain", content));
        try (MultipartUpload u = MultipartUpload.read(request(body, "multipart/form-data; boundary=" + B))) {
            assertEquals("assistants", u.purpose());
            assertEquals("report.txt", u.filename());
            assertEquals(content.length, u.size());
            assertArrayEquals(content, Files.readAllBytes(u.file()));
            assertEquals(sha256(content), u.sha256());
        }
    }

    @Test
    void reads_theJavaSdkShape_fileWithoutFilename_chunkedWithoutLength() throws Exception {
        byte[] content = randomBytes(300_000, 7);
        byte[] body = body(B, part("file", null, "application/octet-stream", content),
                part("purpose", null, null, "user_data".getBytes(StandardCharsets.UTF_8)));
        // Unknown length and a stream that hands out a few bytes at a time, as chunked transfer does.
        HttpRequest req = new HttpRequest("POST", "/v1/files", null,
                Map.of("content-type", List.of("multipart/form-data; boundary=\"" + B + "\"")),
                new Trickle(new ByteArrayInputStream(body), 7), -1);
        try (MultipartUpload u = MultipartUpload.read(req)) {
            assertNull(u.filename());
            assertEquals("user_data", u.purpose());
            assertArrayEquals(content, Files.readAllBytes(u.file()));
        }
    }

    @Test
    void keepsBytesThatLookLikeABoundary_butAreNot() throws Exception {
        byte[] content = ("line\r\n--" + B.substring(0, B.length() - 1) + "X\r\n--" + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
        byte[] body = body(B, part("file", "a.txt", null, content), part("purpose", null, null, "vision".getBytes()));
        try (MultipartUpload u = MultipartUpload.read(request(body, "multipart/form-data; boundary=" + B))) {
            assertArrayEquals(content, Files.readAllBytes(u.file()));
        }
    }

    @Test
    void readsAFilenameStarParameter_andAPreamble() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("This is a preamble.\r\n".getBytes());
        byte[][] star = {"Content-Disposition: form-data; name=\"file\"; filename=\"x.txt\"; filename*=UTF-8''r%C3%A9sum%C3%A9.txt\r\n\r\n".getBytes(StandardCharsets.UTF_8),
                "abc".getBytes(StandardCharsets.UTF_8)};
        out.writeBytes(body(B, star, part("purpose", null, null, "assistants".getBytes())));
        try (MultipartUpload u = MultipartUpload.read(request(out.toByteArray(), "multipart/form-data; boundary=" + B))) {
            assertEquals("résumé.txt", u.filename());
            assertEquals(3, u.size());
        }
    }

    @Test
    void deletesTheSpooledFile_whenClosed() throws Exception {
        byte[] body = body(B, part("file", "a.txt", null, "x".getBytes()), part("purpose", null, null, "batch".getBytes()));
        Path spooled;
        try (MultipartUpload u = MultipartUpload.read(request(body, "multipart/form-data; boundary=" + B))) {
            spooled = u.file();
            assertEquals(1, Files.size(spooled));
        }
        assertFalse(Files.exists(spooled));
    }

    @Test
    void refusesAFileOver25MB_with413() {
        byte[] content = new byte[(int) FileRules.MAX_FILE_BYTES + 1];
        byte[] body = body(B, part("purpose", null, null, "assistants".getBytes()), part("file", "big.txt", null, content));
        FailureException e = assertThrows(FailureException.class, () -> MultipartUpload.read(
                new HttpRequest("POST", "/v1/files", null, Map.of("content-type", List.of("multipart/form-data; boundary=" + B)),
                        new ByteArrayInputStream(body), -1)));
        assertEquals(Problem.FILE_TOO_LARGE, e.failure().problem());
    }

    @Test
    void acceptsAFileOfExactly25MB() throws Exception {
        byte[] content = new byte[(int) FileRules.MAX_FILE_BYTES];
        byte[] body = body(B, part("purpose", null, null, "assistants".getBytes()), part("file", "big.txt", null, content));
        try (MultipartUpload u = MultipartUpload.read(request(body, "multipart/form-data; boundary=" + B))) {
            assertEquals(FileRules.MAX_FILE_BYTES, u.size());
        }
    }

    @Test
    void refusesADeclaredLengthFarOverTheLimit_beforeReading() {
        HttpRequest req = new HttpRequest("POST", "/v1/files", null,
                Map.of("content-type", List.of("multipart/form-data; boundary=" + B)),
                new ByteArrayInputStream(new byte[0]), MultipartUpload.MAX_BODY_BYTES + 1);
        assertEquals(Problem.FILE_TOO_LARGE,
                assertThrows(FailureException.class, () -> MultipartUpload.read(req)).failure().problem());
    }

    @Test
    void missingFile_isMissingRequiredParameter() {
        byte[] body = body(B, new byte[][][] {part("purpose", null, null, "assistants".getBytes())});
        FailureException e = assertThrows(FailureException.class,
                () -> MultipartUpload.read(request(body, "multipart/form-data; boundary=" + B)));
        assertEquals(Problem.MISSING_REQUIRED_PARAMETER, e.failure().problem());
        assertEquals("file", e.failure().param());
    }

    @Test
    void missingPurpose_isMissingRequiredParameter() {
        byte[] body = body(B, new byte[][][] {part("file", "a.txt", null, "x".getBytes())});
        FailureException e = assertThrows(FailureException.class,
                () -> MultipartUpload.read(request(body, "multipart/form-data; boundary=" + B)));
        assertEquals(Problem.MISSING_REQUIRED_PARAMETER, e.failure().problem());
        assertEquals("purpose", e.failure().param());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "no closing boundary",
            "no boundary at all",
            "part without disposition",
            "two files",
            "garbage after boundary",
            "empty body",
            "headers never end"})
    void malformedBodies_are400(String shape) {
        String ok = "--" + B + "\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nassistants\r\n";
        String file = "--" + B + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n\r\nabc\r\n";
        String body = switch (shape) {
            case "no closing boundary" -> ok + file;
            case "no boundary at all" -> "just some text";
            case "part without disposition" -> "--" + B + "\r\nContent-Type: text/plain\r\n\r\nabc\r\n--" + B + "--\r\n";
            case "two files" -> ok + file + file + "--" + B + "--\r\n";
            case "garbage after boundary" -> "--" + B + "garbage\r\n\r\n";
            case "empty body" -> "";
            case "headers never end" -> "--" + B + "\r\nContent-Disposition: form-data; name=\"file\"\r\n";
            default -> throw new IllegalArgumentException(shape);
        };
        FailureException e = assertThrows(FailureException.class, () -> MultipartUpload.read(
                request(body.getBytes(StandardCharsets.ISO_8859_1), "multipart/form-data; boundary=" + B)));
        assertEquals(400, ErrorCatalog.of(e.failure().problem()).status(), e.failure().message());
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/json", "multipart/form-data", "multipart/form-data; boundary=", "text/plain; boundary=x"})
    void wrongContentTypes_are400(String contentType) {
        FailureException e = assertThrows(FailureException.class,
                () -> MultipartUpload.read(request(new byte[0], contentType)));
        assertEquals(400, ErrorCatalog.of(e.failure().problem()).status());
    }

    @Test
    void missingContentType_is400() {
        HttpRequest req = new HttpRequest("POST", "/v1/files", null, Map.of(), new ByteArrayInputStream(new byte[0]), 0);
        assertEquals(Problem.INVALID_PARAMETER,
                assertThrows(FailureException.class, () -> MultipartUpload.read(req)).failure().problem());
    }

    @Test
    void aStreamThatEndsEarly_is400_andLeavesNoSpooledFile() throws Exception {
        long before;
        try (var s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            before = s.filter(p -> p.getFileName().toString().startsWith("sentx-upload-")).count();
        }
        byte[] head = ("--" + B + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.bin\"\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        InputStream cut = new SequenceInputStream(new ByteArrayInputStream(head), new ByteArrayInputStream(randomBytes(200_000, 3)));
        assertThrows(FailureException.class, () -> MultipartUpload.read(new HttpRequest("POST", "/v1/files", null,
                Map.of("content-type", List.of("multipart/form-data; boundary=" + B)), cut, -1)));
        try (var s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            assertEquals(before, s.filter(p -> p.getFileName().toString().startsWith("sentx-upload-")).count());
        }
    }

    // --- helpers

    static HttpRequest request(byte[] body, String contentType) {
        return new HttpRequest("POST", "/v1/files", null, Map.of("content-type", List.of(contentType)),
                new ByteArrayInputStream(body), body.length);
    }

    /** One part: its header block (ending in the blank line) and content. */
    static byte[][] part(String name, String filename, String contentType, byte[] content) {
        String headers = "Content-Disposition: form-data; name=\"" + name + "\""
                + (filename == null ? "" : "; filename=\"" + filename + "\"") + "\r\n"
                + (contentType == null ? "" : "Content-Type: " + contentType + "\r\n") + "\r\n";
        return new byte[][] {headers.getBytes(StandardCharsets.UTF_8), content};
    }

    static byte[] body(String boundary, byte[][]... parts) {
        List<byte[]> flat = new java.util.ArrayList<>();
        for (byte[][] p : parts) Collections.addAll(flat, p);
        return body(boundary, flat);
    }

    private static byte[] body(String boundary, List<byte[]> headerThenContent) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < headerThenContent.size(); i += 2) {
            out.writeBytes(("--" + boundary + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.writeBytes(headerThenContent.get(i));
            out.writeBytes(headerThenContent.get(i + 1));
            out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }
        out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.ISO_8859_1));
        return out.toByteArray();
    }

    static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    /** Hands out at most {@code max} bytes per read. */
    static final class Trickle extends FilterInputStream {
        private final int max;

        Trickle(InputStream in, int max) {
            super(in);
            this.max = max;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return super.read(b, off, Math.min(len, max));
        }
    }
}
