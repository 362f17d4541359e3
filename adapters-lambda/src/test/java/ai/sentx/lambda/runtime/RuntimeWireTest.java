package ai.sentx.lambda.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sentx.http.HttpRequest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The runtime's wire formats, in process: function-URL events to {@link HttpRequest}s, the
 * integration-response prelude, and the streamed {@code /response} body byte for byte — chunks,
 * the normal end, and a failure after the first byte carried in the declared trailers.
 */
class RuntimeWireTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void anEventWithBase64BodyCookiesAndAQuery_becomesTheRequestHttpApiReads() throws IOException {
        JsonNode event = JSON.readTree("""
                {"version":"2.0","rawPath":"/v1/files/file-a%2Fb","rawQueryString":"limit=2&order=asc",
                 "cookies":["a=1","sentx_session=s"],
                 "headers":{"Content-Type":"application/octet-stream","X-Many":"one,two","cookie":"z=9"},
                 "requestContext":{"http":{"method":"post","path":"/v1/files/file-a/b"}},
                 "body":"AAEC/w==","isBase64Encoded":true}""");
        HttpRequest req = FunctionUrlRequest.fromJson(event).toHttpRequest();
        assertEquals("POST", req.method());
        assertEquals("/v1/files/file-a%2Fb", req.path(), "the raw (still encoded) path");
        assertEquals("limit=2&order=asc", req.rawQuery());
        assertEquals("application/octet-stream", req.header("content-type"));
        assertEquals("one,two", req.header("x-many"), "a comma-joined header stays one value");
        assertEquals("z=9; a=1; sentx_session=s", req.header("cookie"));
        assertArrayEquals(new byte[] {0, 1, 2, (byte) 0xFF}, req.body().readAllBytes());
        assertEquals(4, req.contentLength());
    }

    @Test
    void anEventWithoutHeadersQueryOrBody_isAnEmptyRequest() throws IOException {
        HttpRequest req = FunctionUrlRequest.fromJson(JSON.readTree("""
                {"rawPath":"/health","rawQueryString":"","requestContext":{"http":{"method":"GET"}}}""")).toHttpRequest();
        assertEquals("/health", req.path());
        assertEquals(null, req.rawQuery());
        assertEquals(0, req.body().readAllBytes().length);
        assertEquals(null, req.header("cookie"));
    }

    @Test
    void eventsThatAreNotHttpRequests_orCarryBadBase64_areRefused() throws IOException {
        assertThrows(FunctionUrlRequest.InvalidEventException.class,
                () -> FunctionUrlRequest.fromJson(JSON.readTree("{\"detail-type\":\"Scheduled Event\"}")));
        assertThrows(FunctionUrlRequest.InvalidEventException.class,
                () -> FunctionUrlRequest.fromJson(JSON.readTree("[1,2]")));
        assertThrows(FunctionUrlRequest.InvalidEventException.class, () -> FunctionUrlRequest.fromJson(JSON.readTree("""
                {"rawPath":"/x","requestContext":{"http":{"method":"POST"}},"body":"%%%","isBase64Encoded":true}""")));
    }

    @Test
    void thePrelude_isStatusHeadersAndCookies_thenEightNuls() throws IOException {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("content-type", List.of("text/event-stream"));
        headers.put("set-cookie", List.of("sentx_session=x; HttpOnly"));
        byte[] prelude = IntegrationResponse.prelude(200, headers);
        assertArrayEquals(new byte[8], Arrays.copyOfRange(prelude, prelude.length - 8, prelude.length));
        JsonNode meta = JSON.readTree(new String(prelude, 0, prelude.length - 8, StandardCharsets.UTF_8));
        assertEquals(200, meta.get("statusCode").asInt());
        assertEquals("text/event-stream", meta.get("headers").get("content-type").asText());
        assertTrue(meta.get("cookies").toString().contains("sentx_session=x"), meta.toString());
    }

    @Test
    void aStreamedResponse_isOneChunkPerWrite_thenTheZeroChunk() throws Exception {
        String wire = exchange(response -> {
            response.write("data: 1\n\n".getBytes(StandardCharsets.UTF_8));
            response.write(new byte[0]);
            response.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
            response.finish();
        });
        assertTrue(wire.startsWith("POST /2018-06-01/runtime/invocation/req-1/response HTTP/1.1\r\n"), wire);
        assertTrue(wire.contains("\r\nLambda-Runtime-Function-Response-Mode: streaming\r\n"), wire);
        assertTrue(wire.contains("\r\nTransfer-Encoding: chunked\r\n"), wire);
        assertTrue(wire.contains("\r\nTrailer: Lambda-Runtime-Function-Error-Type, Lambda-Runtime-Function-Error-Body\r\n"), wire);
        assertTrue(wire.endsWith("\r\n\r\n9\r\ndata: 1\n\n\r\ne\r\ndata: [DONE]\n\n\r\n0\r\n\r\n"), wire);
    }

    @Test
    void aFailureAfterTheFirstByte_endsTheBodyWithTheErrorTrailers() throws Exception {
        String wire = exchange(response -> {
            response.write("data: 1\n\n".getBytes(StandardCharsets.UTF_8));
            response.fail("Runtime.HandlerFailed", "the model broke");
        });
        String tail = wire.substring(wire.indexOf("\r\n0\r\n") + 2);
        assertTrue(tail.startsWith("0\r\nLambda-Runtime-Function-Error-Type: Runtime.HandlerFailed\r\n"), tail);
        String body = tail.substring(tail.indexOf("Lambda-Runtime-Function-Error-Body: ") + 36, tail.lastIndexOf("\r\n\r\n"));
        JsonNode error = JSON.readTree(Base64.getDecoder().decode(body));
        assertEquals("Runtime.HandlerFailed", error.get("errorType").asText());
        assertEquals("the model broke", error.get("errorMessage").asText());
        assertTrue(tail.endsWith("\r\n\r\n"));
    }

    /** What {@code script} writes through a {@link StreamingResponse}, as a Runtime API endpoint receives it. */
    private static String exchange(Script script) throws Exception {
        try (ServerSocket server = new ServerSocket(0)) {
            CompletableFuture<String> received = CompletableFuture.supplyAsync(() -> {
                try (Socket s = server.accept()) {
                    InputStream in = s.getInputStream();
                    ByteArrayOutputStream all = new ByteArrayOutputStream();
                    byte[] buf = new byte[4096];
                    int n;
                    while ((n = in.read(buf)) > 0) {
                        all.write(buf, 0, n);
                        String text = all.toString(StandardCharsets.ISO_8859_1);
                        if (text.contains("\r\n0\r\n") && text.endsWith("\r\n\r\n")) break;
                    }
                    s.getOutputStream().write("HTTP/1.1 202 Accepted\r\nContent-Length: 16\r\n\r\n{\"status\":\"OK\"}\n"
                            .getBytes(StandardCharsets.ISO_8859_1));
                    s.getOutputStream().flush();
                    return all.toString(StandardCharsets.ISO_8859_1);
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            Socket client = new Socket("127.0.0.1", server.getLocalPort());
            client.setTcpNoDelay(true);
            StreamingResponse response = StreamingResponse.open(client, "127.0.0.1:" + server.getLocalPort(),
                    "/2018-06-01/runtime/invocation/req-1/response", IntegrationResponse.CONTENT_TYPE);
            script.run(response);
            return received.get(10, TimeUnit.SECONDS);
        }
    }

    @FunctionalInterface
    private interface Script {
        void run(StreamingResponse response) throws IOException;
    }
}
