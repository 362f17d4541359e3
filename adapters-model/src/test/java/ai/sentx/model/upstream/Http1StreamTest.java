package ai.sentx.model.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sentx.domain.chat.ChatMessage;
import ai.sentx.domain.chat.FinishReason;
import ai.sentx.port.ModelBackendException;
import ai.sentx.port.ModelEvent;
import ai.sentx.port.ModelRequest;
import ai.sentx.port.ModelStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link OpenAiCompatibleBackend} over {@link Http1Client} and {@link Http1Stream}, against raw HTTP/1.1 answers. */
class Http1StreamTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final String CHUNK = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"%s\"}}]}\n\n";
    private static final String FINISH = "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],"
            + "\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":2}}\n\ndata: [DONE]\n\n";

    private static OpenAiCompatibleBackend backend(RawServer server) {
        URI base = URI.create("http://127.0.0.1:" + server.port() + "/v1");
        return new OpenAiCompatibleBackend(new UpstreamConfig(base, "sk-test", "m", Duration.ofSeconds(1),
                Duration.ofSeconds(3), Duration.ofSeconds(3), UpstreamConfig.TokenLimitField.MAX_COMPLETION_TOKENS), 1000);
    }

    private static ModelRequest request() {
        return new ModelRequest(List.of(ChatMessage.text("user", "hi")), 10, List.of(), null, null, null, null, null,
                null, null);
    }

    private static void chunk(OutputStream out, String data) throws IOException {
        RawServer.write(out, Integer.toHexString(data.length()) + "\r\n" + data + "\r\n");
    }

    private static final String HEAD = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n";

    @Test
    void finishesAtDone_withoutWaitingForTheTerminator_thenReusesTheConnectionOnceItCame() throws Exception {
        try (RawServer server = new RawServer((srv, i, in, out, s) -> {
            while (srv.readRequest(in) != null) {
                RawServer.write(out, HEAD);
                chunk(out, CHUNK.formatted("Hel"));
                chunk(out, CHUNK.formatted("lo") + FINISH);
                Thread.sleep(300);
                RawServer.write(out, "0\r\n\r\n");
            }
        }); OpenAiCompatibleBackend backend = backend(server)) {
            for (int k = 0; k < 2; k++) {
                long t0 = System.nanoTime();
                try (ModelStream stream = backend.open(request())) {
                    assertEquals(new ModelEvent.TextDelta("Hel"), stream.next(WAIT));
                    assertEquals(new ModelEvent.TextDelta("lo"), stream.next(WAIT));
                    assertEquals(new ModelEvent.Finished(FinishReason.STOP, 9, 2), stream.next(WAIT));
                }
                assertTrue(System.nanoTime() - t0 < TimeUnit.MILLISECONDS.toNanos(250), "did not wait for the terminator");
                Thread.sleep(500);
            }
            assertEquals(1, server.connections(), "the connection served both calls");
            assertTrue(server.requests.getFirst().body().contains("\"include_usage\":true"));
        }
    }

    @Test
    void anErrorStatus_isReadOnTheSameConnection_andTheRetryReusesIt() throws Exception {
        try (RawServer server = new RawServer((srv, i, in, out, s) -> {
            srv.readRequest(in);
            String error = "{\"error\":{\"code\":\"overloaded_now\"}}";
            RawServer.write(out, "HTTP/1.1 503 Busy\r\nContent-Length: " + error.length() + "\r\n\r\n" + error);
            srv.readRequest(in);
            RawServer.write(out, HEAD);
            chunk(out, CHUNK.formatted("ok") + FINISH);
            RawServer.write(out, "0\r\n\r\n");
            RawServer.awaitClientClose(in);
        }); OpenAiCompatibleBackend backend = backend(server)) {
            try (ModelStream stream = backend.open(request())) {
                assertEquals(new ModelEvent.TextDelta("ok"), stream.next(WAIT));
                assertInstanceOf(ModelEvent.Finished.class, stream.next(WAIT));
            }
            assertEquals(1, server.connections());
            assertEquals(2, server.requests.size());
        }
    }

    @Test
    void close_midReply_fromAnotherThread_endsABlockedNext_andTheServerSeesItsClientGo() throws Exception {
        CountDownLatch sent = new CountDownLatch(1);
        try (RawServer server = new RawServer((srv, i, in, out, s) -> {
            srv.readRequest(in);
            RawServer.write(out, HEAD);
            chunk(out, CHUNK.formatted("one"));
            sent.countDown();
            RawServer.awaitClientClose(in);
            srv.clientClosed.add(System.nanoTime());
        }); OpenAiCompatibleBackend backend = backend(server)) {
            ModelStream stream = backend.open(request());
            assertEquals(new ModelEvent.TextDelta("one"), stream.next(WAIT));
            assertTrue(sent.await(5, TimeUnit.SECONDS));
            Thread.ofVirtual().start(() -> {
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                stream.close();
            });
            ModelEvent.Finished end = assertInstanceOf(ModelEvent.Finished.class, stream.next(WAIT));
            assertEquals(FinishReason.LENGTH, end.reason());
            assertEquals(1, end.completionTokens(), "billed what was handed out");
            assertNotNull(server.clientClosed.poll(5, TimeUnit.SECONDS), "the server saw its client go");
        }
    }

    @Test
    void aBodyThatIsNotAnEventStream_isAnUpstreamError() throws Exception {
        try (RawServer server = new RawServer((srv, i, in, out, s) -> {
            srv.readRequest(in);
            RawServer.write(out, "HTTP/1.1 200 OK\r\nContent-Length: 13\r\n\r\ndata: {oops\n\n");
            RawServer.awaitClientClose(in);
        }); OpenAiCompatibleBackend backend = backend(server)) {
            try (ModelStream stream = backend.open(request())) {
                ModelBackendException e = assertThrows(ModelBackendException.class, () -> stream.next(WAIT));
                assertEquals(ModelBackendException.Kind.UPSTREAM_ERROR, e.kind());
            }
        }
    }
}
