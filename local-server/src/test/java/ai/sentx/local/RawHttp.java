package ai.sentx.local;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, for the tests that need byte-level control: when each SSE event
 * arrives, a client that vanishes mid-stream, bodies larger than any client would buffer.
 */
final class RawHttp implements Closeable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    /** The status line and headers of a response. */
    record Head(int status, Map<String, String> headers) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        boolean chunked() {
            String te = header("transfer-encoding");
            return te != null && te.toLowerCase(Locale.ROOT).contains("chunked");
        }
    }

    /** One SSE event (a block ended by a blank line) and when its last byte arrived. */
    record Event(String text, long arrivedNanos) {
    }

    RawHttp(String origin) throws IOException {
        URI uri = URI.create(origin);
        socket = new Socket(uri.getHost(), uri.getPort());
        socket.setSoTimeout(30_000);
        socket.setTcpNoDelay(true);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    /** Sends a request head ({@code Host} is added) and an optional body. */
    void send(String method, String path, Map<String, String> headers, byte[] body) throws IOException {
        StringBuilder sb = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\n");
        sb.append("Host: ").append(socket.getInetAddress().getHostAddress()).append(':').append(socket.getPort())
                .append("\r\n");
        headers.forEach((k, v) -> sb.append(k).append(": ").append(v).append("\r\n"));
        sb.append("\r\n");
        out.write(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (body != null) out.write(body);
        out.flush();
    }

    /** Sends a JSON POST with its Content-Length. */
    void postJson(String path, String bearer, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Authorization", "Bearer " + bearer);
        h.put("Content-Type", "application/json");
        h.put("Content-Length", Integer.toString(body.length));
        send("POST", path, h, body);
    }

    /** The head and body as an {@link Api.Response}, for the shared assertions. */
    static Api.Response response(Head head, String body) {
        java.net.http.HttpHeaders headers = java.net.http.HttpHeaders.of(head.headers().entrySet().stream()
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> List.of(e.getValue()))),
                (a, b) -> true);
        return new Api.Response(head.status(), headers, body);
    }

    void readTimeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    OutputStream output() {
        return out;
    }

    Head readHead() throws IOException {
        String status = readLine();
        if (!status.startsWith("HTTP/1.1 ")) throw new IOException("not an HTTP/1.1 status line: " + status);
        int code = Integer.parseInt(status.substring(9, 12));
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = readLine(); !line.isEmpty(); line = readLine()) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
        }
        return new Head(code, headers);
    }

    /** The whole body of a response with {@code head} (chunked or with a Content-Length). */
    byte[] readBody(Head head) throws IOException {
        if (head.chunked()) {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            for (byte[] c = readChunk(); c != null; c = readChunk()) all.write(c);
            return all.toByteArray();
        }
        String length = head.header("content-length");
        if (length == null) return in.readAllBytes();
        return in.readNBytes(Integer.parseInt(length));
    }

    /** The next chunk's data, or {@code null} after the last (zero-length) chunk. */
    byte[] readChunk() throws IOException {
        String sizeLine = readLine();
        int semicolon = sizeLine.indexOf(';');
        int size = Integer.parseInt((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).strip(), 16);
        if (size == 0) {
            while (!readLine().isEmpty()) {
                // trailers
            }
            return null;
        }
        byte[] data = in.readNBytes(size);
        if (data.length < size) throw new EOFException("chunk cut short");
        if (!readLine().isEmpty()) throw new IOException("chunk not followed by CRLF");
        return data;
    }

    /**
     * Reads a chunked SSE body and returns its events, each stamped with the time its last byte
     * was read, stopping after {@code max} events or at the end of the body.
     */
    List<Event> readEvents(int max) throws IOException {
        List<Event> events = new ArrayList<>();
        while (events.size() < max) {
            byte[] chunk = readChunk();
            if (chunk == null) break;
            long now = System.nanoTime();
            pending.write(chunk);
            String buffered = pending.toString(StandardCharsets.UTF_8);
            int end;
            while ((end = buffered.indexOf("\n\n")) >= 0 && events.size() < max) {
                events.add(new Event(buffered.substring(0, end), now));
                buffered = buffered.substring(end + 2);
            }
            pending.reset();
            pending.write(buffered.getBytes(StandardCharsets.UTF_8));
        }
        return events;
    }

    /** Closes with a reset (SO_LINGER 0), as a client that is killed does. */
    void abort() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int prev = -1;
        while (true) {
            int b = in.read();
            if (b < 0) throw new EOFException("connection closed mid-line: " + line);
            if (b == '\n' && prev == '\r') {
                byte[] bytes = line.toByteArray();
                return new String(bytes, 0, bytes.length - 1, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
            prev = b;
        }
    }
}
