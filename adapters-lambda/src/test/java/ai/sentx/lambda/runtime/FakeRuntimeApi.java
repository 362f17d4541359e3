package ai.sentx.lambda.runtime;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The Lambda Runtime API on a plain loopback socket, for tests: the JDK's HTTP server would drop
 * request trailers. It hands out queued events on {@code /invocation/next} and records every
 * {@code /response} (headers, each chunk with its arrival time, trailers), {@code /error} and
 * {@code /init/error} it receives.
 */
public final class FakeRuntimeApi implements AutoCloseable {
    /** An event to hand out. */
    public record Event(String requestId, long deadlineMs, byte[] body) {
    }

    /** One chunk of a streamed response and when it arrived ({@code System.nanoTime()}). */
    public record Chunk(byte[] bytes, long arrivedNanos) {
    }

    /** A posted answer: {@code response}, {@code error} or {@code init-error}. */
    public record Posted(String kind, String requestId, Map<String, String> headers, List<Chunk> chunks,
                         Map<String, String> trailers, boolean chunked) {
        /** Every body byte, in order. */
        public byte[] body() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            chunks.forEach(c -> out.writeBytes(c.bytes()));
            return out.toByteArray();
        }

        /** A header by lower-case name. */
        public String header(String name) {
            return headers.get(name);
        }
    }

    private final ServerSocket server;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final BlockingQueue<Posted> posted = new LinkedBlockingQueue<>();
    private final List<Socket> open = Collections.synchronizedList(new ArrayList<>());
    private final Thread acceptor;

    /** Starts listening on a free loopback port. */
    public FakeRuntimeApi() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = Thread.ofPlatform().daemon().name("fake-runtime-api").start(this::accept);
    }

    /** {@code host:port}, the value of {@code AWS_LAMBDA_RUNTIME_API}. */
    public String address() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    /** Queues an event for the next {@code /invocation/next}. */
    public void enqueue(Event event) {
        events.add(event);
    }

    /** The next answer posted, waiting up to {@code seconds}; {@code null} if none came. */
    public Posted awaitPosted(long seconds) throws InterruptedException {
        return posted.poll(seconds, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws IOException {
        server.close();
        synchronized (open) {
            for (Socket s : open) s.close();
        }
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                open.add(socket);
                Thread.ofVirtual().start(() -> serve(socket));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = socket.getInputStream();
            String requestLine = RuntimeApi.Response.line(in);
            Map<String, String> headers = new LinkedHashMap<>();
            for (String line = RuntimeApi.Response.line(in); !line.isEmpty(); line = RuntimeApi.Response.line(in)) {
                int colon = line.indexOf(':');
                headers.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
            }
            String[] parts = requestLine.split(" ");
            String path = parts[1];
            OutputStream out = socket.getOutputStream();
            if (path.endsWith("/invocation/next")) {
                Event event = events.take();
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                        + "Lambda-Runtime-Aws-Request-Id: " + event.requestId() + "\r\n"
                        + "Lambda-Runtime-Deadline-Ms: " + event.deadlineMs() + "\r\n"
                        + "Lambda-Runtime-Invoked-Function-Arn: arn:aws:lambda:us-east-1:123456789012:function:stream\r\n"
                        + "Lambda-Runtime-Trace-Id: Root=1-00000000-000000000000000000000000\r\n"
                        + "Content-Length: " + event.body().length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.write(event.body());
                out.flush();
                return;
            }
            List<Chunk> chunks = new ArrayList<>();
            Map<String, String> trailers = new LinkedHashMap<>();
            boolean chunked = "chunked".equalsIgnoreCase(headers.get("transfer-encoding"));
            if (chunked) {
                while (true) {
                    String size = RuntimeApi.Response.line(in);
                    int n = Integer.parseInt(size.strip(), 16);
                    if (n == 0) {
                        for (String line = RuntimeApi.Response.line(in); !line.isEmpty(); line = RuntimeApi.Response.line(in)) {
                            int colon = line.indexOf(':');
                            trailers.put(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
                        }
                        break;
                    }
                    byte[] bytes = in.readNBytes(n);
                    long at = System.nanoTime();
                    RuntimeApi.Response.line(in);
                    chunks.add(new Chunk(bytes, at));
                }
            } else {
                int n = Integer.parseInt(headers.getOrDefault("content-length", "0"));
                chunks.add(new Chunk(in.readNBytes(n), System.nanoTime()));
            }
            String kind = path.endsWith("/init/error") ? "init-error" : path.endsWith("/error") ? "error" : "response";
            String id = kind.equals("init-error") ? null : path.split("/")[4];
            out.write("HTTP/1.1 202 Accepted\r\nContent-Length: 16\r\n\r\n{\"status\":\"OK\"}\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            posted.add(new Posted(kind, id, headers, chunks, trailers, chunked));
        } catch (IOException | InterruptedException | RuntimeException e) {
            // A connection the runtime dropped: nothing to record.
        }
    }
}
