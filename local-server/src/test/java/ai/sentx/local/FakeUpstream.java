package ai.sentx.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real OpenAI-compatible HTTP server (the JDK's) whose behaviour each request picks with its
 * last user message: text starting with {@code fake:<scenario> [argument]} selects a scenario,
 * anything else gets {@link Scenario#NORMAL}. It streams exactly as OpenAI does (role chunk,
 * content chunks, a finish chunk, the usage chunk when {@code stream_options.include_usage} asks
 * for it, {@code [DONE]}), honours {@code max_completion_tokens} / {@code max_tokens} one word a
 * token, and records every request and every client disconnect it sees while writing.
 */
final class FakeUpstream implements AutoCloseable {
    /** The words of the normal reply, one token each (o200k_base). */
    static final List<String> WORDS = List.of("Hello", " from", " the", " fake", " upstream", ".", " The", " sea",
            " is", " calm", " today", " and", " the", " sky", " is", " blue", ".");
    static final String REPLY = String.join("", WORDS);
    /** The prompt tokens the fake reports: deliberately unlike any estimate. */
    static final long PROMPT_TOKENS = 57;
    /** The completion tokens reported for the tool-call reply. */
    static final long TOOL_CALL_TOKENS = 23;
    /** A string that must never leave SentX: the fake puts it in its error bodies. */
    static final String SECRET = "sk-proj-UPSTREAMSECRET0123456789";
    static final String INTERNAL_URL = "http://10.1.2.3:8000/internal/v1";

    /** What a request may ask the fake to do. */
    enum Scenario {
        /** The reply in {@link #WORDS}, one word per event, as fast as possible. */
        NORMAL,
        /** Like NORMAL but never sends usage, even when asked. */
        NO_USAGE,
        /** Two tool calls, their arguments in fragments; finish_reason tool_calls. */
        TOOLS,
        /** Headers and the role chunk at once, the first word after {@code argument} ms. */
        SLOW_FIRST,
        /** The response headers only after {@code argument} ms. */
        HEADERS_LATE,
        /** One word, silence for {@code argument} ms, then the rest. */
        GAP,
        /** One word every {@code argument} ms. */
        PACED,
        /** Three words, then silence (no byte) for up to 20 s. */
        STALL,
        /** Three words, then the connection is cut without ending the chunked body. */
        DROP,
        /** Three words, then a clean end of body without finish_reason or [DONE]. */
        ENDS_EARLY,
        /** Two words, then an {@code error} event, then [DONE]. */
        ERROR_EVENT,
        /** One word every 20 ms until the client goes away (then records the disconnect). */
        FOREVER,
        /** HTTP 500 with a body full of secrets. */
        STATUS_500,
        /** HTTP 500 on the first attempt of this exact message, NORMAL on the next. */
        STATUS_500_ONCE,
        /** HTTP 429 on the first attempt of this exact message, NORMAL on the next. */
        STATUS_429_ONCE,
        /** HTTP 400 with a body full of secrets and OpenAI's code/param. */
        STATUS_400,
        /** HTTP 401 (the gateway's key is wrong). */
        STATUS_401,
        /** Multi-byte text written in pieces that split characters and lines, CRLF framing, comments. */
        SPLIT
    }

    /** A request the fake received. */
    record Received(JsonNode body, Map<String, String> headers, Scenario scenario) {
        JsonNode messages() {
            return body.get("messages");
        }
    }

    /** The text the SPLIT scenario sends, with characters of 2, 3 and 4 UTF-8 bytes. */
    static final String SPLIT_TEXT = "Grüße aus München — 東京 🌊🌊 ok";

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final ConcurrentLinkedDeque<Received> received = new ConcurrentLinkedDeque<>();
    private final BlockingQueue<Long> disconnects = new LinkedBlockingQueue<>();
    private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean closed;

    private FakeUpstream() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
        server.setExecutor(executor);
        server.createContext("/v1/chat/completions", this::handle);
        server.start();
    }

    static FakeUpstream start() {
        try {
            return new FakeUpstream();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The API base to configure: {@code http://127.0.0.1:port/v1}. */
    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    List<Received> requests() {
        return new ArrayList<>(received);
    }

    Received last() {
        return received.peekLast();
    }

    /** How many requests carried exactly this last user message. */
    int attempts(String userText) {
        AtomicInteger n = attempts.get(userText);
        return n == null ? 0 : n.get();
    }

    /** Requests still being answered. */
    int inFlight() {
        return inFlight.get();
    }

    /** Forgets recorded disconnects. */
    void clearDisconnects() {
        disconnects.clear();
    }

    /**
     * Waits for a FOREVER stream's write to fail because its client went away.
     *
     * @return when the failure was seen ({@link System#nanoTime}), or -1 if none came in time
     */
    long awaitDisconnect(Duration within) throws InterruptedException {
        Long at = disconnects.poll(within.toMillis(), TimeUnit.MILLISECONDS);
        return at == null ? -1 : at;
    }

    @Override
    public void close() {
        closed = true;
        server.stop(0);
        executor.shutdownNow();
    }

    // ---- serving ----

    private void handle(HttpExchange exchange) throws IOException {
        inFlight.incrementAndGet();
        boolean cut = false;
        try {
            JsonNode body = JSON.readTree(exchange.getRequestBody());
            String text = lastUserText(body);
            Scenario scenario = scenario(text);
            long argument = argument(text);
            Map<String, String> headers = new HashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v.getFirst()));
            received.add(new Received(body, headers, scenario));
            int attempt = attempts.computeIfAbsent(text, k -> new AtomicInteger()).incrementAndGet();
            serve(exchange, body, scenario, argument, attempt);
        } catch (CutConnection e) {
            // Leave the exchange open: the server then closes the socket without ending the body.
            cut = true;
            throw e;
        } finally {
            inFlight.decrementAndGet();
            if (!cut) exchange.close();
        }
    }

    /** Thrown to make the JDK server drop the connection mid-body. */
    private static final class CutConnection extends RuntimeException {
        CutConnection() {
            super("the fake cuts the connection on purpose", null, false, false);
        }
    }

    private void serve(HttpExchange exchange, JsonNode body, Scenario scenario, long argument, int attempt)
            throws IOException {
        boolean usage = !scenario.equals(Scenario.NO_USAGE) && body.path("stream_options").path("include_usage")
                .asBoolean(false);
        long budget = body.has("max_completion_tokens") ? body.get("max_completion_tokens").asLong()
                : body.has("max_tokens") ? body.get("max_tokens").asLong() : Long.MAX_VALUE;
        switch (scenario) {
            case STATUS_500 -> error(exchange, 500, "server_error", null);
            case STATUS_500_ONCE -> {
                if (attempt == 1) error(exchange, 500, "server_error", null);
                else normal(exchange, budget, usage, 0);
            }
            case STATUS_429_ONCE -> {
                if (attempt == 1) error(exchange, 429, "rate_limit_exceeded", null);
                else normal(exchange, budget, usage, 0);
            }
            case STATUS_400 -> error(exchange, 400, "invalid_value", "messages");
            case STATUS_401 -> error(exchange, 401, "invalid_api_key", null);
            case HEADERS_LATE -> {
                sleep(argument);
                normal(exchange, budget, usage, 0);
            }
            case TOOLS -> tools(exchange, usage);
            case SPLIT -> split(exchange, usage);
            default -> {
                Sse out = sse(exchange);
                out.chunk(delta("role", "assistant", "content", ""), null);
                stream(out, scenario, argument, budget, usage);
            }
        }
    }

    private void normal(HttpExchange exchange, long budget, boolean usage, long pauseMs) throws IOException {
        Sse out = sse(exchange);
        out.chunk(delta("role", "assistant", "content", ""), null);
        stream(out, Scenario.NORMAL, pauseMs, budget, usage);
    }

    private void stream(Sse out, Scenario scenario, long argument, long budget, boolean usage) throws IOException {
        switch (scenario) {
            case SLOW_FIRST -> sleep(argument);
            case FOREVER -> {
                forever(out);
                return;
            }
            default -> {
            }
        }
        int sent = 0;
        for (String word : WORDS) {
            if (sent == budget) break;
            out.chunk(delta("content", word), null);
            sent++;
            switch (scenario) {
                case GAP -> {
                    if (sent == 1) sleep(argument);
                }
                case PACED -> sleep(argument);
                case STALL -> {
                    if (sent == 3) {
                        for (int i = 0; i < 200 && !closed; i++) sleep(100);
                        return;
                    }
                }
                case DROP -> {
                    if (sent == 3) throw new CutConnection();
                }
                case ENDS_EARLY -> {
                    if (sent == 3) return;
                }
                case ERROR_EVENT -> {
                    if (sent == 2) {
                        ObjectNode root = JSON.createObjectNode();
                        ObjectNode error = root.putObject("error");
                        error.put("message", "Overloaded; key " + SECRET + " at " + INTERNAL_URL);
                        error.put("type", "server_error");
                        error.put("code", "overloaded");
                        out.data(JSON.writeValueAsString(root));
                        out.data("[DONE]");
                        return;
                    }
                }
                default -> {
                }
            }
        }
        finish(out, sent < WORDS.size() ? "length" : "stop", usage, sent);
    }

    private void forever(Sse out) {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        try {
            while (!closed && System.nanoTime() < until) {
                out.chunk(delta("content", " more"), null);
                sleep(20);
            }
        } catch (IOException e) {
            disconnects.add(System.nanoTime());
        }
    }

    private void tools(HttpExchange exchange, boolean usage) throws IOException {
        Sse out = sse(exchange);
        out.chunk(delta("role", "assistant", "content", JSON.nullNode()), null);
        out.chunk(toolDelta(0, "call_fakeWeather", "get_weather", ""), null);
        for (String piece : List.of("{\"ci", "ty\":\"Pa", "ris\"}")) out.chunk(toolDelta(0, null, null, piece), null);
        out.chunk(toolDelta(1, "call_fakeTime", "get_time", "{\"tz\":"), null);
        out.chunk(toolDelta(1, null, null, "\"CET\"}"), null);
        finish(out, "tool_calls", usage, TOOL_CALL_TOKENS);
    }

    private void split(HttpExchange exchange, boolean usage) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        OutputStream body = exchange.getResponseBody();
        StringBuilder all = new StringBuilder();
        all.append(": a comment first\r\n\r\n");
        all.append("data: ").append(JSON.writeValueAsString(chunkNode(delta("role", "assistant"), null)))
                .append("\r\n\r\n");
        // One JSON object spread over two data lines (joined by a line feed, which JSON allows).
        String content = JSON.writeValueAsString(chunkNode(delta("content", SPLIT_TEXT), null));
        int comma = content.indexOf(",\"object\"");
        all.append("data: ").append(content, 0, comma + 1).append("\r\ndata: ").append(content.substring(comma + 1))
                .append("\r\n\r\n");
        all.append("data: ").append(JSON.writeValueAsString(chunkNode(JSON.createObjectNode(), "stop")))
                .append("\r\n\r\n");
        if (usage) {
            all.append("data: ").append(JSON.writeValueAsString(usageNode(12))).append("\r\n\r\n");
        }
        all.append("data: [DONE]\r\n\r\n");
        byte[] bytes = all.toString().getBytes(StandardCharsets.UTF_8);
        // Pieces of 1..7 bytes: many a character and every line ending is split.
        for (int at = 0, step = 1; at < bytes.length; at += step, step = step % 7 + 1) {
            body.write(bytes, at, Math.min(step, bytes.length - at));
            body.flush();
        }
    }

    private void finish(Sse out, String reason, boolean usage, long completionTokens) throws IOException {
        out.chunk(JSON.createObjectNode(), reason);
        if (usage) out.data(JSON.writeValueAsString(usageNode(completionTokens)));
        out.data("[DONE]");
    }

    private void error(HttpExchange exchange, int status, String code, String param) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode error = root.putObject("error");
        error.put("message", "Request failed for key " + SECRET + " via " + INTERNAL_URL + ": the prompt was '"
                + "customer secret text'");
        error.put("type", status >= 500 ? "server_error" : "invalid_request_error");
        error.put("param", param);
        error.put("code", code);
        byte[] bytes = JSON.writeValueAsBytes(root);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    // ---- wire helpers ----

    /** Writes SSE events, each flushed at once. */
    private static final class Sse {
        private final OutputStream body;

        Sse(OutputStream body) {
            this.body = body;
        }

        void chunk(ObjectNode delta, String finishReason) throws IOException {
            data(JSON.writeValueAsString(chunkNode(delta, finishReason)));
        }

        void data(String payload) throws IOException {
            body.write(("data: " + payload + "\n\n").getBytes(StandardCharsets.UTF_8));
            body.flush();
        }
    }

    private static Sse sse(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        return new Sse(exchange.getResponseBody());
    }

    private static ObjectNode chunkNode(ObjectNode delta, String finishReason) {
        ObjectNode root = JSON.createObjectNode();
        root.put("id", "chatcmpl-fake");
        root.put("object", "chat.completion.chunk");
        root.put("created", 1_700_000_000L);
        root.put("model", "fake-model");
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        choice.set("delta", delta);
        choice.putNull("logprobs");
        choice.put("finish_reason", finishReason);
        return root;
    }

    private static ObjectNode usageNode(long completionTokens) {
        ObjectNode root = JSON.createObjectNode();
        root.put("id", "chatcmpl-fake");
        root.put("object", "chat.completion.chunk");
        root.put("created", 1_700_000_000L);
        root.put("model", "fake-model");
        root.putArray("choices");
        ObjectNode usage = root.putObject("usage");
        usage.put("prompt_tokens", PROMPT_TOKENS);
        usage.put("completion_tokens", completionTokens);
        usage.put("total_tokens", PROMPT_TOKENS + completionTokens);
        return root;
    }

    private static ObjectNode delta(Object... pairs) {
        ObjectNode delta = JSON.createObjectNode();
        for (int i = 0; i < pairs.length; i += 2) {
            Object v = pairs[i + 1];
            if (v instanceof JsonNode node) delta.set((String) pairs[i], node);
            else delta.put((String) pairs[i], (String) v);
        }
        return delta;
    }

    private static ObjectNode toolDelta(int index, String id, String name, String arguments) {
        ObjectNode delta = JSON.createObjectNode();
        ArrayNode calls = delta.putArray("tool_calls");
        ObjectNode call = calls.addObject();
        call.put("index", index);
        if (id != null) {
            call.put("id", id);
            call.put("type", "function");
        }
        ObjectNode function = call.putObject("function");
        if (name != null) function.put("name", name);
        function.put("arguments", arguments);
        return delta;
    }

    private static String lastUserText(JsonNode body) {
        JsonNode messages = body.path("messages");
        for (int i = messages.size() - 1; i >= 0; i--) {
            JsonNode m = messages.get(i);
            if (!m.path("role").asText().equals("user")) continue;
            JsonNode content = m.get("content");
            if (content != null && content.isTextual()) return content.asText();
            if (content != null && content.isArray()) {
                for (JsonNode part : content) {
                    if (part.path("type").asText().equals("text")) return part.path("text").asText();
                }
            }
            return "";
        }
        return "";
    }

    private static Scenario scenario(String text) {
        if (!text.startsWith("fake:")) return Scenario.NORMAL;
        int end = text.indexOf(' ');
        String name = (end < 0 ? text.substring(5) : text.substring(5, end)).toUpperCase(Locale.ROOT).replace('-', '_');
        return Scenario.valueOf(name);
    }

    private static long argument(String text) {
        String[] words = text.split(" ");
        if (words.length < 2) return 0;
        try {
            return Long.parseLong(words[1]);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The user message that selects {@code scenario} with an argument and a unique tag. */
    static String ask(Scenario scenario, long argument, String tag) {
        return "fake:" + scenario.name().toLowerCase(Locale.ROOT).replace('_', '-') + " " + argument + " " + tag;
    }

    static String ask(Scenario scenario) {
        return ask(scenario, 0, Long.toString(System.nanoTime()));
    }
}
