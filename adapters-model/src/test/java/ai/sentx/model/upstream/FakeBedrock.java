package ai.sentx.model.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
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
import software.amazon.awssdk.eventstream.HeaderValue;
import software.amazon.awssdk.eventstream.Message;

/**
 * A local stand-in for Bedrock's {@code POST /model/{modelId}/converse-stream}: a real HTTP server
 * that answers in Bedrock's event-stream framing, each frame built with the SDK's own encoder
 * ({@link Message}). The last user message picks the behaviour ({@code fake:<scenario> [argument]});
 * anything else gets the normal reply of {@link #WORDS}, one word per {@code contentBlockDelta}, cut
 * at {@code inferenceConfig.maxTokens}. It records every request and every client that went away
 * while it was writing.
 */
final class FakeBedrock implements AutoCloseable {
    static final List<String> WORDS = List.of("Hello", " from", " the", " fake", " Bedrock", ".", " The", " sea",
            " is", " calm", ".");
    static final String REPLY = String.join("", WORDS);
    static final int INPUT_TOKENS = 57;
    static final int TOOL_OUTPUT_TOKENS = 23;
    static final String SECRET = "arn:aws:iam::123456789012:role/SecretRole";

    enum Scenario { NORMAL, NO_METADATA, TOOLS, STATUS_400, STATUS_403, STATUS_500, STATUS_429_ONCE, STREAM_ERROR,
        SLOW_FIRST, STALL, FOREVER, REASONING }

    record Received(String modelId, JsonNode body, Map<String, String> headers) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final ConcurrentLinkedDeque<Received> received = new ConcurrentLinkedDeque<>();
    private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    private final BlockingQueue<Long> disconnects = new LinkedBlockingQueue<>();
    private volatile boolean closed;

    FakeBedrock() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.setExecutor(executor);
        server.createContext("/model/", this::handle);
        server.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    Received last() {
        return received.peekLast();
    }

    int attempts(String userText) {
        AtomicInteger n = attempts.get(userText);
        return n == null ? 0 : n.get();
    }

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

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            String modelId = URLDecoder.decode(path.substring("/model/".length(), path.lastIndexOf('/')),
                    StandardCharsets.UTF_8);
            JsonNode body = JSON.readTree(exchange.getRequestBody());
            Map<String, String> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v.getFirst()));
            received.add(new Received(modelId, body, headers));
            String text = lastUserText(body);
            int attempt = attempts.computeIfAbsent(text, k -> new AtomicInteger()).incrementAndGet();
            Scenario scenario = scenario(text);
            long argument = argument(text);
            int budget = body.path("inferenceConfig").path("maxTokens").asInt(Integer.MAX_VALUE);
            switch (scenario) {
                case STATUS_400 -> error(exchange, 400, "ValidationException");
                case STATUS_403 -> error(exchange, 403, "AccessDeniedException");
                case STATUS_500 -> error(exchange, 500, "InternalServerException");
                case STATUS_429_ONCE -> {
                    if (attempt == 1) error(exchange, 429, "ThrottlingException");
                    else stream(exchange, Scenario.NORMAL, 0, budget);
                }
                default -> stream(exchange, scenario, argument, budget);
            }
        }
    }

    private void stream(HttpExchange exchange, Scenario scenario, long argument, int budget) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/vnd.amazon.eventstream");
        exchange.getResponseHeaders().set("x-amzn-RequestId", "fake-request");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        event(out, "messageStart", "{\"role\":\"assistant\"}");
        if (scenario == Scenario.TOOLS) {
            event(out, "contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"Let me check.\"}}");
            event(out, "contentBlockStop", "{\"contentBlockIndex\":0}");
            event(out, "contentBlockStart", "{\"contentBlockIndex\":1,\"start\":{\"toolUse\":"
                    + "{\"toolUseId\":\"tooluse_weather\",\"name\":\"get_weather\"}}}");
            for (String piece : List.of("{\"city\":", "\"Paris\"}")) {
                event(out, "contentBlockDelta", "{\"contentBlockIndex\":1,\"delta\":{\"toolUse\":{\"input\":"
                        + JSON.writeValueAsString(piece) + "}}}");
            }
            event(out, "contentBlockStop", "{\"contentBlockIndex\":1}");
            event(out, "messageStop", "{\"stopReason\":\"tool_use\"}");
            metadata(out, TOOL_OUTPUT_TOKENS);
            return;
        }
        if (scenario == Scenario.SLOW_FIRST) sleep(argument);
        if (scenario == Scenario.REASONING) {
            event(out, "contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"reasoningContent\":"
                    + "{\"text\":\"Thinking...\"}}}");
        }
        if (scenario == Scenario.FOREVER) {
            try {
                for (long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60); !closed && System.nanoTime() < until; ) {
                    event(out, "contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\" more\"}}");
                    sleep(20);
                }
            } catch (IOException e) {
                disconnects.add(System.nanoTime());
                throw e;
            }
            return;
        }
        int sent = 0;
        for (String word : WORDS) {
            if (sent == budget) break;
            event(out, "contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":"
                    + JSON.writeValueAsString(word) + "},\"p\":\"abcdefgh\"}");
            sent++;
            if (scenario == Scenario.STREAM_ERROR && sent == 2) {
                exception(out, "modelStreamErrorException", "{\"message\":\"boom at " + SECRET
                        + "\",\"originalStatusCode\":500}");
                return;
            }
            if (scenario == Scenario.STALL && sent == 3) {
                for (int i = 0; i < 200 && !closed; i++) sleep(100);
                return;
            }
        }
        event(out, "contentBlockStop", "{\"contentBlockIndex\":0}");
        event(out, "messageStop", "{\"stopReason\":\"" + (sent < WORDS.size() ? "max_tokens" : "end_turn") + "\"}");
        if (scenario != Scenario.NO_METADATA) metadata(out, sent);
    }

    private static void metadata(OutputStream out, int outputTokens) throws IOException {
        event(out, "metadata", "{\"usage\":{\"inputTokens\":" + INPUT_TOKENS + ",\"outputTokens\":" + outputTokens
                + ",\"totalTokens\":" + (INPUT_TOKENS + outputTokens) + "},\"metrics\":{\"latencyMs\":12}}");
    }

    private static void event(OutputStream out, String type, String payload) throws IOException {
        Map<String, HeaderValue> h = new LinkedHashMap<>();
        h.put(":message-type", HeaderValue.fromString("event"));
        h.put(":event-type", HeaderValue.fromString(type));
        h.put(":content-type", HeaderValue.fromString("application/json"));
        frame(out, new Message(h, payload.getBytes(StandardCharsets.UTF_8)));
    }

    private static void exception(OutputStream out, String type, String payload) throws IOException {
        Map<String, HeaderValue> h = new LinkedHashMap<>();
        h.put(":message-type", HeaderValue.fromString("exception"));
        h.put(":exception-type", HeaderValue.fromString(type));
        h.put(":content-type", HeaderValue.fromString("application/json"));
        frame(out, new Message(h, payload.getBytes(StandardCharsets.UTF_8)));
    }

    private static void frame(OutputStream out, Message message) throws IOException {
        ByteBuffer b = message.toByteBuffer();
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        out.write(bytes);
        out.flush();
    }

    private static void error(HttpExchange exchange, int status, String type) throws IOException {
        ObjectNode body = JSON.createObjectNode().put("message", "Denied for " + SECRET + " in account 123456789012");
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("x-amzn-ErrorType", type + ":http://internal.amazon.com/coral/com.amazon.bedrock/");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static String lastUserText(JsonNode body) {
        JsonNode messages = body.path("messages");
        for (int i = messages.size() - 1; i >= 0; i--) {
            JsonNode m = messages.get(i);
            if (!m.path("role").asText().equals("user")) continue;
            for (JsonNode block : m.path("content")) {
                if (block.has("text")) return block.get("text").asText();
            }
        }
        return "";
    }

    private static Scenario scenario(String text) {
        if (!text.startsWith("fake:")) return Scenario.NORMAL;
        int end = text.indexOf(' ');
        return Scenario.valueOf((end < 0 ? text.substring(5) : text.substring(5, end)).toUpperCase(Locale.ROOT)
                .replace('-', '_'));
    }

    private static long argument(String text) {
        String[] words = text.split(" ");
        try {
            return words.length < 2 ? 0 : Long.parseLong(words[1]);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    static String ask(Scenario scenario, long argument) {
        return "fake:" + scenario.name().toLowerCase(Locale.ROOT).replace('_', '-') + " " + argument + " "
                + System.nanoTime();
    }

    static String ask(Scenario scenario) {
        return ask(scenario, 0);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
