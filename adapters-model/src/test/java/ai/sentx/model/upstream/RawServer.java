package ai.sentx.model.upstream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback HTTP/1.1 server that writes exactly the bytes a test gives it: each accepted
 * connection runs {@link Handler} on its own virtual thread, which reads requests with
 * {@link #readRequest} and answers with raw bytes. Records the requests it read, how many
 * connections it accepted, and when a client closed a connection.
 */
final class RawServer implements AutoCloseable {
    /** Serves one connection; {@code index} counts connections from 0. */
    interface Handler {
        void serve(RawServer server, int index, InputStream in, OutputStream out, Socket socket) throws IOException, InterruptedException;
    }

    /** A request as read: its head (lines joined by CRLF) and body. */
    record Request(String head, String body) {
        String header(String name) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) return line.substring(colon + 1).strip();
            }
            return null;
        }
    }

    private final ServerSocket server;
    private final AtomicInteger connections = new AtomicInteger();
    final List<Request> requests = new CopyOnWriteArrayList<>();
    /** A {@link System#nanoTime} per connection the client closed while the handler read or wrote. */
    final BlockingQueue<Long> clientClosed = new LinkedBlockingQueue<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    RawServer(Handler handler) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                Socket s;
                try {
                    s = server.accept();
                } catch (IOException e) {
                    return;
                }
                sockets.add(s);
                int index = connections.getAndIncrement();
                Thread.ofVirtual().start(() -> {
                    try (s) {
                        handler.serve(this, index, s.getInputStream(), s.getOutputStream(), s);
                    } catch (IOException e) {
                        clientClosed.add(System.nanoTime());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
            }
        });
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort() + "/v1/chat/completions");
    }

    int port() {
        return server.getLocalPort();
    }

    int connections() {
        return connections.get();
    }

    /** Reads one request (head and Content-Length body); {@code null} if the client closed first. */
    Request readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            byte[] h = head.toByteArray();
            int n = h.length;
            if (n >= 4 && h[n - 4] == '\r' && h[n - 3] == '\n' && h[n - 2] == '\r' && h[n - 1] == '\n') break;
        }
        if (b < 0) return null;
        String text = head.toString(StandardCharsets.ISO_8859_1);
        String headText = text.substring(0, text.length() - 4);
        int length = 0;
        for (String line : headText.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) length = Integer.parseInt(line.substring(15).strip());
        }
        String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
        Request r = new Request(headText, body);
        requests.add(r);
        return r;
    }

    static void write(OutputStream out, String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Waits until the client closes the connection (the read sees its end), or fails on a timeout. */
    static void awaitClientClose(InputStream in) throws IOException {
        while (in.read() >= 0) {
            // Whatever the client still sends is dropped.
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) s.close();
    }
}
