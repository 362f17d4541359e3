package ai.sentx.model.upstream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class Http1ClientTest {
    private static final long FIVE_SECONDS = TimeUnit.SECONDS.toNanos(5);

    private static Http1Client client(RawServer server) {
        return new Http1Client(server.endpoint(), Duration.ofSeconds(2), "Content-Type: application/json",
                "Authorization: Bearer sk-test");
    }

    private static long deadline() {
        return System.nanoTime() + FIVE_SECONDS;
    }

    private static String body(Http1Client.Response r) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int n; (n = r.read(2000)) >= 0; ) out.write(r.array(), r.offset(), n);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void writesOneRequest_withHostLengthAndTheConfiguredHeaders() throws Exception {
        try (RawServer server = new RawServer((srv, i, in, out, s) -> {
            srv.readRequest(in);
            RawServer.write(out, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
            RawServer.awaitClientClose(in);
        }); Http1Client client = client(server)) {
            Http1Client.Response r = client.post("{\"a\":1}".getBytes(StandardCharsets.UTF_8), deadline());
            assertEquals(200, r.status());
            assertEquals("ok", body(r));
            r.release();
            RawServer.Request seen = server.requests.getFirst();
            assertTrue(seen.head().startsWith("POST /v1/chat/completions HTTP/1.1\r\n"), seen.head());
            assertEquals("127.0.0.1:" + server.port(), seen.header("Host"));
            assertEquals("application/json", seen.header("Content-Type"));
            assertEquals("Bearer sk-test", seen.header("Authorization"));
            assertEquals("7", seen.header("Content-Length"));
            assertEquals("{\"a\":1}", seen.body());
        }
    }

    @Test
    void headerNames_matchInAnyCase_withSpaceAroundThem_andOthersAreSkipped() throws Exception {
        try (RawServer server = new RawServer((srv, i, in, out, s) -> {
            while (srv.readRequest(in) != null) {
                RawServer.write(out, "HTTP/1.1 200 OK\r\nX-Content-Length: 99\r\n\tcontent-LENGTH \t: 5\r\n"
                        + "Content-Lengthy: 7\r\nKEEP-ALIVE: timeout=60\r\nCONNECTION:  Keep-Alive\r\n\r\nhello");
            }
        }); Http1Client client = client(server)) {
            for (int k = 0; k < 2; k++) {
                Http1Client.Response r = client.post(new byte[0], deadline());
                assertEquals("hello", body(r));
                assertTrue(r.finished());
                r.release();
            }
            assertEquals(1, server.connections(), "kept alive");
        }
    }

    @Test
    void readsAContentLengthBody_andReusesTheConnection() throws Exception {
        try (RawServer server = new RawServer((srv, i, in, out, s) -> {
            while (srv.readRequest(in) != null) {
                RawServer.write(out, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n");
                RawServer.write(out, "hello");
                RawServer.write(out, " world");
            }
        }); Http1Client client = client(server)) {
            for (int k = 0; k < 3; k++) {
                Http1Client.Response r = client.post(new byte[0], deadline());
                assertEquals("hello world", body(r));
                assertTrue(r.finished());
                r.release();
            }
            assertEquals(1, server.connections(), "one keep-alive connection served all three");
            assertEquals(1, client.idleConnections());
        }
    }

    @Test
    void readsAChunkedBody_withExtensionsTrailersAndFramingSplitAnywhere_andReusesTheConnection() throws Exception {
        String response = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5;name=value\r\nhello\r\n1\r\n \r\n5\r\nworld\r\n0\r\nX-Trailer: 1\r\n\r\n";
        try (RawServer server = new RawServer((srv, i, in, out, s) -> {
            while (srv.readRequest(in) != null) {
                byte[] bytes = response.getBytes(StandardCharsets.ISO_8859_1);
                for (byte b : bytes) {
                    out.write(b);
                    out.flush();
                }
            }
        }); Http1Client client = client(server)) {
            for (int k = 0; k < 2; k++) {
                Http1Client.Response r = client.post(new byte[0], deadline());
                assertEquals("hello world", body(r));
                r.release();
            }
            assertEquals(1, server.connections());
        }
    }

    @Test
    void skipsAnInterimAnswer_andReadsABodyUntilTheServerCloses_withoutReusingThatConnection() throws Exception {
        try (RawServer server = new RawServer((srv, i, in, out, s) -> {
            srv.readRequest(in);
            RawServer.write(out, "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.0 200 OK\r\n\r\nto the end");
        }); Http1Client client = client(server)) {
            Http1Client.Response r = client.post(new byte[0], deadline());
            assertEquals(200, r.status());
            assertEquals("to the end", body(r));
            r.release();
            assertEquals(0, client.idleConnections(), "a body framed by the close cannot be followed by another");
        }
    }

    @Test
    void aConnectionTheServerClosedWhileIdle_isReplacedTransparently() throws Exception {
        try (RawServer server = new RawServer((srv, i, in, out, s) -> {
            srv.readRequest(in);
            RawServer.write(out, "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\n" + i);
            // Then close the idle connection, as a server's keep-alive timeout does.
        }); Http1Client client = client(server)) {
            Http1Client.Response first = client.post(new byte[0], deadline());
            assertEquals("0", body(first));
            first.release();
            assertEquals(1, client.idleConnections());
            Thread.sleep(100);
            Http1Client.Response second = client.post(new byte[0], deadline());
            assertEquals("1", body(second), "served on a new connection");
            second.release();
            assertEquals(2, server.connections());
            assertEquals(2, server.requests.size(), "the stale connection never delivered the request");
        }
    }

    @Test
    void connectionClose_orAShortKeepAliveTimeout_isNotReused() throws Exception {
        for (String header : new String[] {"Connection: close", "Keep-Alive: timeout=1"}) {
            try (RawServer server = new RawServer((srv, i, in, out, s) -> {
                while (srv.readRequest(in) != null) {
                    RawServer.write(out, "HTTP/1.1 200 OK\r\n" + header + "\r\nContent-Length: 1\r\n\r\nx");
                }
            }); Http1Client client = client(server)) {
                for (int k = 0; k < 2; k++) {
                    Http1Client.Response r = client.post(new byte[0], deadline());
                    assertEquals("x", body(r));
                    r.release();
                }
                assertEquals(2, server.connections(), header);
            }
        }
    }

    @Test
    void aHeadThatDoesNotComeInTime_isAnHttpTimeout_andItsConnectionIsClosed() throws Exception {
        CountDownLatch closed = new CountDownLatch(1);
        try (RawServer server = new RawServer((srv, i, in, out, s) -> {
            srv.readRequest(in);
            RawServer.awaitClientClose(in);
            closed.countDown();
        }); Http1Client client = client(server)) {
            long t0 = System.nanoTime();
            HttpTimeoutException e = assertThrows(HttpTimeoutException.class,
                    () -> client.post(new byte[0], System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300)));
            assertFalse(e instanceof HttpConnectTimeoutException);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms >= 290 && ms < 3000, ms + " ms");
            assertTrue(closed.await(5, TimeUnit.SECONDS), "the server saw the connection close");
            assertEquals(0, client.idleConnections());
        }
    }

    @Test
    void aBodyReadThatTimesOut_leavesTheResponseReadable() throws Exception {
        CountDownLatch more = new CountDownLatch(1);
        try (RawServer server = new RawServer((srv, i, in, out, s) -> {
            srv.readRequest(in);
            RawServer.write(out, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\none\r\n");
            more.await();
            RawServer.write(out, "3\r\ntwo\r\n0\r\n\r\n");
            RawServer.awaitClientClose(in);
        }); Http1Client client = client(server)) {
            Http1Client.Response r = client.post(new byte[0], deadline());
            int n = r.read(2000);
            assertEquals("one", new String(r.array(), r.offset(), n, StandardCharsets.UTF_8));
            assertThrows(SocketTimeoutException.class, () -> r.read(100));
            more.countDown();
            assertEquals("two", body(r));
            r.release();
            assertEquals(1, client.idleConnections());
        }
    }

    @Test
    void abort_fromAnotherThread_endsABlockedRead_andTheServerSeesTheConnectionClose() throws Exception {
        try (RawServer server = new RawServer((srv, i, in, out, s) -> {
            srv.readRequest(in);
            RawServer.write(out, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
            RawServer.awaitClientClose(in);
            srv.clientClosed.add(System.nanoTime());
        }); Http1Client client = client(server)) {
            Http1Client.Response r = client.post(new byte[0], deadline());
            Thread.ofVirtual().start(() -> {
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                r.abort();
            });
            assertThrows(IOException.class, () -> r.read(10_000));
            assertNotNull(server.clientClosed.poll(5, TimeUnit.SECONDS), "the server saw its client go");
            r.release();
            assertEquals(0, client.idleConnections(), "an aborted connection is never pooled");
        }
    }

    @Test
    void aBodyCutShort_isAnIOException() throws Exception {
        for (String response : new String[] {
                "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel"}) {
            try (RawServer server = new RawServer((srv, i, in, out, s) -> {
                srv.readRequest(in);
                RawServer.write(out, response);
            }); Http1Client client = client(server)) {
                Http1Client.Response r = client.post(new byte[0], deadline());
                assertThrows(IOException.class, () -> body(r));
                r.release();
                assertEquals(0, client.idleConnections());
            }
        }
    }

    @Test
    void aRefusedConnection_isAnIOException_andAnErrorBodyIsReadUpToItsLimit() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        try (Http1Client refused = new Http1Client(URI.create("http://127.0.0.1:" + port + "/v1"), Duration.ofSeconds(1))) {
            IOException e = assertThrows(IOException.class, () -> refused.post(new byte[0], deadline()));
            assertFalse(e instanceof HttpTimeoutException);
        }
        try (RawServer server = new RawServer((srv, i, in, out, s) -> {
            srv.readRequest(in);
            RawServer.write(out, "HTTP/1.1 500 Oops\r\nContent-Length: 10\r\n\r\n012345");
            RawServer.awaitClientClose(in);
        }); Http1Client client = client(server)) {
            Http1Client.Response r = client.post(new byte[0], deadline());
            assertEquals(500, r.status());
            assertArrayEquals("0123".getBytes(StandardCharsets.UTF_8), r.readUpTo(4, 1000));
            r.release();
            assertEquals(0, client.idleConnections(), "a body not read to its end closes its connection");
        }
    }

    @Test
    void refusesAnythingButPlainHttp_andHeaderLinesWithLineBreaks() {
        assertThrows(IllegalArgumentException.class,
                () -> new Http1Client(URI.create("https://example.com/v1"), Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class,
                () -> new Http1Client(URI.create("http://127.0.0.1:1/v1"), Duration.ofSeconds(1), "X: a\r\nY: b"));
    }
}
