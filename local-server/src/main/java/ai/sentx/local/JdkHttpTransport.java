package ai.sentx.local;

import ai.sentx.http.HttpApi;
import ai.sentx.http.HttpRequest;
import ai.sentx.http.ResponseSink;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** The JDK's HTTP server on virtual threads, adapted to {@link HttpApi}. */
final class JdkHttpTransport implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor;

    JdkHttpTransport(String host, int port, HttpApi api) throws IOException {
        // Each SSE event is its own small write: never let Nagle's algorithm hold it back.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        this.server = HttpServer.create(new InetSocketAddress(host, port), 1024);
        this.executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            try (exchange) {
                api.handle(request(exchange), new ExchangeSink(exchange));
            }
        });
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private static HttpRequest request(HttpExchange exchange) {
        Map<String, List<String>> headers = new HashMap<>();
        exchange.getRequestHeaders().forEach((name, values) ->
                headers.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>()).addAll(values));
        long length = -1;
        List<String> cl = headers.get("content-length");
        if (cl != null && !cl.isEmpty()) {
            try {
                length = Long.parseLong(cl.getFirst().strip());
            } catch (NumberFormatException e) {
                length = -1;
            }
        }
        return new HttpRequest(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                exchange.getRequestURI().getRawQuery(), headers, exchange.getRequestBody(), length);
    }

    /** Each write is flushed: a chunk per SSE event reaches the socket at once. */
    private static final class ExchangeSink implements ResponseSink {
        private final HttpExchange exchange;
        private OutputStream body;

        ExchangeSink(HttpExchange exchange) {
            this.exchange = exchange;
        }

        @Override
        public void start(int status, Map<String, List<String>> headers, long contentLength) throws IOException {
            headers.forEach((name, values) -> exchange.getResponseHeaders().put(name, values));
            exchange.sendResponseHeaders(status, contentLength == 0 ? -1 : contentLength < 0 ? 0 : contentLength);
            body = exchange.getResponseBody();
        }

        @Override
        public void write(byte[] bytes) throws IOException {
            body.write(bytes);
            body.flush();
        }

        @Override
        public void close() throws IOException {
            if (body != null) body.close();
            exchange.close();
        }

        @Override
        public boolean started() {
            return body != null;
        }

        /**
         * Closes the exchange without closing the body first: the JDK server then finds the body
         * short of its declared length and drops the connection, which the client reports as an
         * error (closing the body first would swallow that and leave the connection open).
         */
        @Override
        public void abort() {
            exchange.close();
        }
    }
}
