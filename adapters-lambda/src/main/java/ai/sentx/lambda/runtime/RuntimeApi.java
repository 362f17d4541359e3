package ai.sentx.lambda.runtime;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A client of the Lambda Runtime API ({@code AWS_LAMBDA_RUNTIME_API}), written on plain sockets:
 * {@code HttpURLConnection} and {@code java.net.http.HttpClient} can neither send request
 * trailers nor promise that each chunk leaves at once, and a streamed response needs both. Every
 * request uses its own connection ({@code Connection: close}), as the streaming protocol asks of
 * a streamed response; on loopback that costs well under a millisecond.
 *
 * <p>Thread-safe: it holds no connection between calls.
 */
public final class RuntimeApi {
    /** The version prefix of every Runtime API path. */
    static final String BASE = "/2018-06-01/runtime";
    private static final int CONNECT_TIMEOUT_MS = 5_000;

    private final String host;
    private final int port;

    /**
     * @param hostAndPort the value of {@code AWS_LAMBDA_RUNTIME_API}, e.g. {@code 127.0.0.1:9001}
     * @throws IllegalArgumentException if it is not {@code host:port}
     */
    public RuntimeApi(String hostAndPort) {
        Objects.requireNonNull(hostAndPort, "hostAndPort");
        int colon = hostAndPort.lastIndexOf(':');
        if (colon <= 0) throw new IllegalArgumentException("AWS_LAMBDA_RUNTIME_API must be host:port");
        this.host = hostAndPort.substring(0, colon);
        try {
            this.port = Integer.parseInt(hostAndPort.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("AWS_LAMBDA_RUNTIME_API must be host:port");
        }
    }

    /**
     * Waits for the next invocation (a long poll: no read timeout).
     *
     * @throws IOException if the Runtime API cannot be reached or answers with anything but 200
     */
    public Invocation next() throws IOException {
        Response response = exchange("GET", BASE + "/invocation/next", Map.of(), null);
        if (response.status != 200) throw new IOException("invocation/next answered " + response.status);
        String id = response.headers.get("lambda-runtime-aws-request-id");
        if (id == null || id.isBlank()) throw new IOException("invocation/next sent no Lambda-Runtime-Aws-Request-Id");
        long deadline = Long.MAX_VALUE;
        String deadlineHeader = response.headers.get("lambda-runtime-deadline-ms");
        if (deadlineHeader != null) {
            try {
                deadline = Long.parseLong(deadlineHeader.strip());
            } catch (NumberFormatException e) {
                deadline = Long.MAX_VALUE;
            }
        }
        return new Invocation(id, deadline, response.headers.get("lambda-runtime-invoked-function-arn"),
                response.headers.get("lambda-runtime-trace-id"), response.body);
    }

    /**
     * Opens the streamed answer to {@code requestId}: the request line and headers are sent now;
     * the body follows chunk by chunk.
     *
     * @param contentType the stream's content type (for a function URL,
     *                    {@link IntegrationResponse#CONTENT_TYPE})
     */
    public StreamingResponse stream(String requestId, String contentType) throws IOException {
        Socket socket = connect();
        try {
            return StreamingResponse.open(socket, host + ":" + port,
                    BASE + "/invocation/" + requestId + "/response", contentType);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** Sends a whole (buffered) answer to {@code requestId}. */
    public void respond(String requestId, String contentType, byte[] body) throws IOException {
        expectAccepted(exchange("POST", BASE + "/invocation/" + requestId + "/response",
                Map.of("Content-Type", contentType), body), "response");
    }

    /**
     * Reports that invocation {@code requestId} failed before any byte of its answer was sent.
     *
     * @param errorType e.g. {@code Runtime.InvalidEvent}; sent as {@code Lambda-Runtime-Function-Error-Type}
     */
    public void invocationError(String requestId, String errorType, String message) throws IOException {
        expectAccepted(exchange("POST", BASE + "/invocation/" + requestId + "/error",
                Map.of("Content-Type", "application/json", "Lambda-Runtime-Function-Error-Type", errorType),
                ErrorBody.json(errorType, message)), "error");
    }

    /** Reports that the runtime could not start; Lambda then ends this execution environment. */
    public void initError(String errorType, String message) throws IOException {
        expectAccepted(exchange("POST", BASE + "/init/error",
                Map.of("Content-Type", "application/json", "Lambda-Runtime-Function-Error-Type", errorType),
                ErrorBody.json(errorType, message)), "init/error");
    }

    private static void expectAccepted(Response response, String what) throws IOException {
        if (response.status / 100 != 2) throw new IOException(what + " answered " + response.status);
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MS);
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    private Response exchange(String method, String path, Map<String, String> headers, byte[] body) throws IOException {
        try (Socket socket = connect()) {
            StringBuilder head = new StringBuilder(256);
            head.append(method).append(' ').append(path).append(" HTTP/1.1\r\n");
            head.append("Host: ").append(host).append(':').append(port).append("\r\n");
            headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
            if (body != null) head.append("Content-Length: ").append(body.length).append("\r\n");
            head.append("Connection: close\r\n\r\n");
            OutputStream out = socket.getOutputStream();
            byte[] headBytes = head.toString().getBytes(StandardCharsets.ISO_8859_1);
            if (body == null) {
                out.write(headBytes);
            } else {
                byte[] all = new byte[headBytes.length + body.length];
                System.arraycopy(headBytes, 0, all, 0, headBytes.length);
                System.arraycopy(body, 0, all, headBytes.length, body.length);
                out.write(all);
            }
            out.flush();
            return Response.read(socket.getInputStream());
        }
    }

    /** A Runtime API answer: status, headers by lower-case name (the last value wins), body. */
    record Response(int status, Map<String, String> headers, byte[] body) {
        /** Reads one HTTP/1.1 response; the body by Content-Length, chunks, or up to the end of the stream. */
        static Response read(InputStream in) throws IOException {
            String statusLine = line(in);
            String[] parts = statusLine.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/")) throw new IOException("not an HTTP response");
            int status;
            try {
                status = Integer.parseInt(parts[1]);
            } catch (NumberFormatException e) {
                throw new IOException("not an HTTP status: " + parts[1]);
            }
            Map<String, String> headers = new LinkedHashMap<>();
            for (String line = line(in); !line.isEmpty(); line = line(in)) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    headers.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
                }
            }
            byte[] body;
            String length = headers.get("content-length");
            if (length != null) {
                int n = Integer.parseInt(length);
                body = in.readNBytes(n);
                if (body.length < n) throw new EOFException("the body ended early");
            } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                ByteArrayOutputStream buffer = new ByteArrayOutputStream();
                while (true) {
                    String size = line(in);
                    int semicolon = size.indexOf(';');
                    int n = Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).strip(), 16);
                    if (n == 0) {
                        while (!line(in).isEmpty()) {
                            // Trailers of a response: none that matter here.
                        }
                        break;
                    }
                    buffer.write(in.readNBytes(n));
                    line(in);
                }
                body = buffer.toByteArray();
            } else {
                body = in.readAllBytes();
            }
            return new Response(status, headers, body);
        }

        /** One CRLF- (or LF-) terminated line, Latin-1, without its terminator. */
        static String line(InputStream in) throws IOException {
            StringBuilder line = new StringBuilder(64);
            while (true) {
                int b = in.read();
                if (b < 0) {
                    if (line.isEmpty()) throw new EOFException("the connection closed");
                    return line.toString();
                }
                if (b == '\n') {
                    int last = line.length() - 1;
                    if (last >= 0 && line.charAt(last) == '\r') line.setLength(last);
                    return line.toString();
                }
                line.append((char) b);
            }
        }
    }
}
