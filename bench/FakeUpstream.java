// A cheap OpenAI-compatible model server for benchmarks: the same replies as bench/fake-upstream.mjs
// (byte for byte in the bodies) at a fraction of its CPU time per request, so that on a small
// machine the benchmark's tools leave the cores to the server they measure. POST .../chat/completions
// answers at once with a fixed reply of <tokens> words, streamed as OpenAI streams (role chunk, one
// chunk per word, finish chunk, the usage chunk when stream_options.include_usage asks, [DONE]) or
// as one chat.completion JSON. It honours "stream": true, stream_options.include_usage and
// max_completion_tokens / max_tokens (null counts as absent). Every reply is prepared at start: per
// request it reads the request (head and body, Content-Length or chunked, fully), scans the body's
// top-level keys and writes prepared bytes.
//
//   java bench/FakeUpstream.java [port=0] [tokens=16]     (source-file launch, JDK 21+, no dependencies)
//
// Prints "listening <port>" once it accepts connections. Loopback only; HTTP/1.1 keep-alive (and
// pipelining); JSON replies with Content-Length. One thread, one selector (epoll): under load one
// epoll_wait returns many ready connections, where a thread per connection blocked in read() costs
// two context switches per request (measured on 2 cores at concurrency 32: 11-13 us of CPU time per
// request against 21-26 us with platform threads and 32 us with virtual threads).
// A stream is sent with Transfer-Encoding: chunked, one HTTP chunk per SSE event as a model server
// frames it. By default all the chunks of a reply leave in one write: a model's tokens come tens of
// milliseconds apart, a fake's would come microseconds apart and the reader would mostly see them
// coalesced anyway, while one write() per event costs the fake a system call and a loopback TCP
// segment each (5 times the CPU time per request). FAKE_STREAM_WRITES=event writes each event on
// its own, for a reader that gets the events one by one.
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

public final class FakeUpstream {
    static final int PROMPT_TOKENS = 20;
    static final String[] VOCABULARY = {" The", " quick", " brown", " fox", " jumps", " over", " the", " lazy", " dog", "."};
    static final String HEAD = "{\"id\":\"chatcmpl-fake\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
            + "\"model\":\"fake-model\",\"system_fingerprint\":null,\"choices\":[{\"index\":0,\"delta\":";

    static int tokens;
    /** json[n]: the whole response (head and body) of a non-stream reply of n words. */
    static ByteBuffer[] json;
    /** stream[usage][n]: the writes of a stream of n words (one, or the head and then one per event). */
    static ByteBuffer[][][] stream;
    static final ByteBuffer NOT_FOUND = response(404, "application/json", "{\"error\":{\"message\":\"not found\"}}");
    static final ByteBuffer INVALID_JSON = response(400, "application/json", "{\"error\":{\"message\":\"invalid json\"}}");
    static final ByteBuffer CONTINUE = direct(ascii("HTTP/1.1 100 Continue\r\n\r\n"));

    public static void main(String[] args) throws IOException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        tokens = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        prepare("event".equals(System.getenv("FAKE_STREAM_WRITES")));
        ServerSocketChannel server = ServerSocketChannel.open();
        server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1024);
        System.out.println("listening " + ((InetSocketAddress) server.getLocalAddress()).getPort());
        System.out.flush();
        run(server);
    }

    static void prepare(boolean eventWrites) {
        String[] words = new String[tokens];
        for (int i = 0; i < tokens; i++) words[i] = i == 0 ? "Hello" : VOCABULARY[i % VOCABULARY.length];
        byte[] streamHead = ascii("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n");
        json = new ByteBuffer[tokens + 1];
        stream = new ByteBuffer[2][tokens + 1][];
        for (int n = 0; n <= tokens; n++) {
            String reason = n < tokens ? "length" : "stop";
            StringBuilder content = new StringBuilder();
            for (int i = 0; i < n; i++) content.append(words[i]);
            String body = "{\"id\":\"chatcmpl-fake\",\"object\":\"chat.completion\",\"created\":1700000000,\"model\":\"fake-model\","
                    + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":" + quote(content.toString())
                    + ",\"refusal\":null},\"logprobs\":null,\"finish_reason\":\"" + reason + "\"}],"
                    + "\"usage\":{\"prompt_tokens\":" + PROMPT_TOKENS + ",\"completion_tokens\":" + n
                    + ",\"total_tokens\":" + (PROMPT_TOKENS + n) + "}}";
            json[n] = response(200, "application/json", body);
            for (int usage = 0; usage < 2; usage++) {
                List<String> events = new ArrayList<>();
                events.add("data: " + HEAD + "{\"role\":\"assistant\",\"content\":\"\"},\"logprobs\":null,\"finish_reason\":null}]}\n\n");
                for (int i = 0; i < n; i++) {
                    events.add("data: " + HEAD + "{\"content\":" + quote(words[i]) + "},\"logprobs\":null,\"finish_reason\":null}]}\n\n");
                }
                events.add("data: " + HEAD + "{},\"logprobs\":null,\"finish_reason\":\"" + reason + "\"}]}\n\n");
                if (usage == 1) {
                    events.add("data: {\"id\":\"chatcmpl-fake\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
                            + "\"model\":\"fake-model\",\"choices\":[],\"usage\":{\"prompt_tokens\":" + PROMPT_TOKENS
                            + ",\"completion_tokens\":" + n + ",\"total_tokens\":" + (PROMPT_TOKENS + n) + "}}\n\n");
                }
                events.add("data: [DONE]\n\n");
                byte[][] writes = new byte[events.size() + 1][];
                writes[0] = streamHead;
                for (int i = 0; i < events.size(); i++) { // one HTTP chunk per event; the last one ends the body
                    byte[] event = events.get(i).getBytes(StandardCharsets.UTF_8);
                    String last = i == events.size() - 1 ? "0\r\n\r\n" : "";
                    writes[i + 1] = concat(ascii(Integer.toHexString(event.length) + "\r\n"), event, ascii("\r\n" + last));
                }
                if (!eventWrites) writes = new byte[][] {concat(writes)};
                stream[usage][n] = Arrays.stream(writes).map(FakeUpstream::direct).toArray(ByteBuffer[]::new);
            }
        }
    }

    static ByteBuffer response(int status, String type, String body) {
        String reason = status == 200 ? "OK" : status == 404 ? "Not Found" : "Bad Request";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return direct(concat(ascii("HTTP/1.1 " + status + " " + reason + "\r\nContent-Type: " + type + "\r\nContent-Length: "
                + bytes.length + "\r\n\r\n"), bytes));
    }

    /** A read-only direct buffer: written with duplicate(), without a copy into a temporary direct buffer. */
    static ByteBuffer direct(byte[] bytes) {
        return ByteBuffer.allocateDirect(bytes.length).put(bytes).flip().asReadOnlyBuffer();
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') b.append('\\').append(c);
            else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
            else b.append(c);
        }
        return b.append('"').toString();
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] p : parts) length += p.length;
        byte[] all = new byte[length];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }

    // --- the event loop --------------------------------------------------------------------------

    /** One connection: bytes [start, end) of buf are read and not yet consumed; out holds unsent replies. */
    static final class Conn {
        final SocketChannel channel;
        byte[] buf = new byte[16 * 1024];
        int start, end;
        final ArrayDeque<ByteBuffer> out = new ArrayDeque<>();
        boolean closeWhenSent, continueSent;
        SelectionKey key;

        Conn(SocketChannel channel) {
            this.channel = channel;
        }
    }

    static void run(ServerSocketChannel server) throws IOException {
        Selector selector = Selector.open();
        server.configureBlocking(false);
        server.register(selector, SelectionKey.OP_ACCEPT);
        while (true) {
            selector.select(key -> {
                try {
                    if (key.isAcceptable()) accept(server, selector);
                    else ready((Conn) key.attachment(), key);
                } catch (IOException | RuntimeException e) {
                    if (key.attachment() instanceof Conn c) close(c);
                }
            });
        }
    }

    static void accept(ServerSocketChannel server, Selector selector) throws IOException {
        SocketChannel channel;
        while ((channel = server.accept()) != null) {
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            Conn c = new Conn(channel);
            c.key = channel.register(selector, SelectionKey.OP_READ, c);
        }
    }

    static void close(Conn c) {
        c.key.cancel();
        try {
            c.channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    static void ready(Conn c, SelectionKey key) throws IOException {
        if (key.isWritable()) {
            if (!flush(c)) return;
            if (c.closeWhenSent) {
                close(c);
                return;
            }
            key.interestOps(SelectionKey.OP_READ);
            answer(c); // requests that arrived while the replies were waiting
            return;
        }
        if (c.end == c.buf.length) {
            if (c.start > 0) {
                System.arraycopy(c.buf, c.start, c.buf, 0, c.end - c.start);
                c.end -= c.start;
                c.start = 0;
            } else if (c.buf.length >= MAX_REQUEST) {
                close(c); // a request larger than the fake takes
                return;
            } else {
                c.buf = Arrays.copyOf(c.buf, c.buf.length * 2);
            }
        }
        int n = c.channel.read(ByteBuffer.wrap(c.buf, c.end, c.buf.length - c.end));
        if (n < 0) {
            close(c);
            return;
        }
        c.end += n;
        answer(c);
    }

    /** Answers every complete request in the buffer, in order, while the replies leave at once. */
    static void answer(Conn c) throws IOException {
        while (c.out.isEmpty() && !c.closeWhenSent) {
            int result = handle(c);
            if (result == NEED_MORE) break;
            if (result == DROP) {
                close(c);
                return;
            }
        }
        if (c.start == c.end) c.start = c.end = 0;
        if (!c.out.isEmpty()) {
            c.key.interestOps(SelectionKey.OP_WRITE); // stop reading until the peer takes the replies
        } else if (c.closeWhenSent) {
            close(c);
        }
    }

    /** Writes what the socket takes now, and queues the rest (and any reply behind it) for OP_WRITE. */
    static void send(Conn c, ByteBuffer reply) throws IOException {
        ByteBuffer b = reply.duplicate();
        if (c.out.isEmpty()) c.channel.write(b);
        if (b.hasRemaining()) c.out.add(b);
    }

    static boolean flush(Conn c) throws IOException {
        ByteBuffer b;
        while ((b = c.out.peek()) != null) {
            c.channel.write(b);
            if (b.hasRemaining()) return false;
            c.out.poll();
        }
        return true;
    }

    static final int NEED_MORE = 0, ANSWERED = 1, DROP = 2;
    static final int MAX_REQUEST = 16 * 1024 * 1024;

    /** Parses one request at buf[start, end) and sends its reply, or says that more bytes are needed. */
    static int handle(Conn c) throws IOException {
        byte[] b = c.buf;
        int headEnd = indexOfHeadEnd(b, c.start, c.end);
        if (headEnd < 0) return c.end - c.start > 64 * 1024 ? DROP : NEED_MORE;
        int lineEnd = indexOf(b, c.start, headEnd, (byte) '\r');
        int sp1 = indexOf(b, c.start, lineEnd, (byte) ' ');
        int sp2 = sp1 < 0 ? -1 : indexOf(b, sp1 + 1, lineEnd, (byte) ' ');
        if (sp2 < 0) return DROP; // not HTTP
        boolean post = sp1 - c.start == 4 && startsWith(b, c.start, "POST");
        boolean chatPath = endsWith(b, sp1 + 1, queryOrEnd(b, sp1 + 1, sp2), "/chat/completions");
        boolean close = endsWith(b, sp2 + 1, lineEnd, "HTTP/1.0");
        long contentLength = 0;
        boolean chunked = false, expectContinue = false;
        int line = lineEnd + 2;
        while (line < headEnd) {
            int eol = indexOf(b, line, headEnd + 2, (byte) '\r');
            int colon = indexOf(b, line, eol, (byte) ':');
            if (colon > 0) {
                int v = colon + 1;
                while (v < eol && (b[v] == ' ' || b[v] == '\t')) v++;
                int ve = eol;
                while (ve > v && (b[ve - 1] == ' ' || b[ve - 1] == '\t')) ve--;
                if (nameIs(b, line, colon, "content-length")) contentLength = parseLong(b, v, ve);
                else if (nameIs(b, line, colon, "transfer-encoding")) chunked = containsIgnoreCase(b, v, ve, "chunked");
                else if (nameIs(b, line, colon, "connection")) {
                    if (containsIgnoreCase(b, v, ve, "close")) close = true;
                    else if (containsIgnoreCase(b, v, ve, "keep-alive")) close = false;
                } else if (nameIs(b, line, colon, "expect")) expectContinue = containsIgnoreCase(b, v, ve, "100-continue");
            }
            line = eol + 2;
        }
        int bodyStart = headEnd + 4, bodyEnd, next;
        if (chunked) {
            int[] range = chunkedBody(b, bodyStart, c.end);
            if (range == null) return DROP;
            if (range.length == 0) return needBody(c, expectContinue);
            bodyEnd = range[0];
            next = range[1];
        } else {
            if (contentLength < 0 || contentLength > MAX_REQUEST / 2) return DROP;
            if (c.end - bodyStart < contentLength) return needBody(c, expectContinue);
            bodyEnd = bodyStart + (int) contentLength;
            next = bodyEnd;
        }
        c.start = next;
        c.continueSent = false;
        c.closeWhenSent = close;
        if (!post || !chatPath) {
            send(c, NOT_FOUND);
            return ANSWERED;
        }
        Request r = Request.scan(b, bodyStart, bodyEnd);
        if (r == null) {
            send(c, INVALID_JSON);
            return ANSWERED;
        }
        int n = (int) Math.max(0, Math.min(tokens, r.budget));
        if (!r.stream) {
            send(c, json[n]);
        } else {
            for (ByteBuffer chunk : stream[r.includeUsage ? 1 : 0][n]) send(c, chunk);
        }
        return ANSWERED;
    }

    static int needBody(Conn c, boolean expectContinue) throws IOException {
        if (expectContinue && !c.continueSent) {
            c.continueSent = true;
            send(c, CONTINUE);
        }
        return NEED_MORE;
    }

    /**
     * A chunked body at b[from, to): when complete, decodes it in place and returns {end of the
     * decoded body, end of the message}; an empty array when more bytes are needed; null if malformed.
     */
    static int[] chunkedBody(byte[] b, int from, int to) {
        int at = from;
        while (true) { // first only check that the whole body is there
            int eol = indexOfCrlf(b, at, to);
            if (eol < 0) return new int[0];
            long size = chunkSize(b, at, eol);
            if (size < 0) return null;
            at = eol + 2;
            if (size == 0) break;
            if (to - at < size + 2) return new int[0];
            at += (int) size + 2;
        }
        while (true) { // trailer fields up to an empty line
            int eol = indexOfCrlf(b, at, to);
            if (eol < 0) return new int[0];
            boolean empty = eol == at;
            at = eol + 2;
            if (empty) break;
        }
        int message = at, read = from, write = from;
        while (true) {
            int eol = indexOfCrlf(b, read, to);
            int size = (int) chunkSize(b, read, eol);
            read = eol + 2;
            if (size == 0) return new int[] {write, message};
            System.arraycopy(b, read, b, write, size);
            write += size;
            read += size + 2;
        }
    }

    static long chunkSize(byte[] b, int from, int eol) {
        long size = 0;
        int i = from;
        for (; i < eol; i++) {
            int d = Character.digit(b[i], 16);
            if (d < 0) break; // chunk extensions
            size = size * 16 + d;
            if (size > MAX_REQUEST / 2) return -1;
        }
        return i == from ? -1 : size;
    }

    /** The fields of a chat request the fake honours, from a scan of the body's top-level keys. */
    static final class Request {
        boolean stream;
        boolean includeUsage;
        long budget = Long.MAX_VALUE;

        /**
         * Scans a JSON object: top-level "stream", "max_completion_tokens" (else "max_tokens") and
         * "stream_options"."include_usage"; null counts as absent (like ?? in the Node fake). Returns
         * null when the body is not a JSON object (brackets and strings unbalanced). Not a validator.
         */
        static Request scan(byte[] b, int from, int to) {
            int i = skipWs(b, from, to);
            if (i >= to || b[i] != '{') return null;
            Request r = new Request();
            long maxCompletion = -1, maxTokens = -1;
            int depth = 0;
            boolean optionsObject = false; // inside the object value of top-level "stream_options"
            int optionsDepth = 0;
            while (i < to) {
                byte ch = b[i];
                if (ch == '"') {
                    int s = i + 1;
                    int e = endOfString(b, s, to);
                    if (e < 0) return null;
                    i = e + 1;
                    int k = skipWs(b, i, to);
                    if (k < to && b[k] == ':') { // a key
                        int v = skipWs(b, k + 1, to);
                        if (depth == 1) {
                            if (keyIs(b, s, e, "stream")) r.stream = literal(b, v, to, "true");
                            else if (keyIs(b, s, e, "max_completion_tokens")) maxCompletion = number(b, v, to);
                            else if (keyIs(b, s, e, "max_tokens")) maxTokens = number(b, v, to);
                            else if (keyIs(b, s, e, "stream_options") && v < to && b[v] == '{') {
                                optionsObject = true;
                                optionsDepth = depth + 1;
                            }
                        } else if (optionsObject && depth == optionsDepth && keyIs(b, s, e, "include_usage")) {
                            r.includeUsage = literal(b, v, to, "true");
                        }
                        i = v;
                    }
                    continue;
                }
                if (ch == '{' || ch == '[') depth++;
                else if (ch == '}' || ch == ']') {
                    if (optionsObject && depth == optionsDepth) optionsObject = false;
                    if (--depth == 0) {
                        r.budget = maxCompletion >= 0 ? maxCompletion : maxTokens >= 0 ? maxTokens : Long.MAX_VALUE;
                        return skipWs(b, i + 1, to) == to ? r : null;
                    }
                    if (depth < 0) return null;
                }
                i++;
            }
            return null;
        }

        static int endOfString(byte[] b, int i, int to) {
            for (; i < to; i++) {
                if (b[i] == '\\') i++;
                else if (b[i] == '"') return i;
            }
            return -1;
        }

        static boolean keyIs(byte[] b, int s, int e, String key) {
            if (e - s != key.length()) return false;
            for (int i = 0; i < key.length(); i++) if (b[s + i] != key.charAt(i)) return false;
            return true;
        }

        static boolean literal(byte[] b, int v, int to, String word) {
            return to - v >= word.length() && keyIs(b, v, v + word.length(), word);
        }

        /** A non-negative integer value, -1 for null or anything else (a negative or fractional budget counts as 0). */
        static long number(byte[] b, int v, int to) {
            if (v < to && b[v] == '-') return 0;
            long n = 0;
            int i = v;
            for (; i < to && b[i] >= '0' && b[i] <= '9'; i++) n = Math.min(n * 10 + (b[i] - '0'), Long.MAX_VALUE / 20);
            return i == v ? -1 : n;
        }

        static int skipWs(byte[] b, int i, int to) {
            while (i < to && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t')) i++;
            return i;
        }
    }

    // --- bytes ---------------------------------------------------------------------------------

    static int indexOfHeadEnd(byte[] b, int from, int to) {
        for (int i = from; i + 3 < to; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n' && b[i + 2] == '\r' && b[i + 3] == '\n') return i;
        }
        return -1;
    }

    static int indexOfCrlf(byte[] b, int from, int to) {
        for (int i = from; i + 1 < to; i++) if (b[i] == '\r' && b[i + 1] == '\n') return i;
        return -1;
    }

    static int indexOf(byte[] b, int from, int to, byte x) {
        for (int i = from; i < to; i++) if (b[i] == x) return i;
        return -1;
    }

    static int queryOrEnd(byte[] b, int from, int to) {
        int q = indexOf(b, from, to, (byte) '?');
        return q < 0 ? to : q;
    }

    static boolean startsWith(byte[] b, int at, String s) {
        for (int i = 0; i < s.length(); i++) if (b[at + i] != s.charAt(i)) return false;
        return true;
    }

    static boolean endsWith(byte[] b, int from, int to, String s) {
        return to - from >= s.length() && startsWith(b, to - s.length(), s);
    }

    static boolean nameIs(byte[] b, int from, int to, String lowerName) {
        if (to - from != lowerName.length()) return false;
        for (int i = 0; i < lowerName.length(); i++) if ((b[from + i] | 0x20) != lowerName.charAt(i)) return false;
        return true;
    }

    static boolean containsIgnoreCase(byte[] b, int from, int to, String lower) {
        outer:
        for (int i = from; i + lower.length() <= to; i++) {
            for (int j = 0; j < lower.length(); j++) if ((b[i + j] | 0x20) != lower.charAt(j)) continue outer;
            return true;
        }
        return false;
    }

    static long parseLong(byte[] b, int from, int to) {
        if (from == to) return -1;
        long n = 0;
        for (int i = from; i < to; i++) {
            if (b[i] < '0' || b[i] > '9') return -1;
            n = n * 10 + (b[i] - '0');
            if (n > Integer.MAX_VALUE) return -1;
        }
        return n;
    }
}
