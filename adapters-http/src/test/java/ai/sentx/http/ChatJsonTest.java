package ai.sentx.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.sentx.application.CompleteChat;
import ai.sentx.domain.chat.FinishReason;
import ai.sentx.domain.chat.TokenUsage;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link ChatJson} writes exactly the bytes that serialising the same shapes as trees gives. */
class ChatJsonTest {
    private static final ObjectMapper JSON = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(HttpApi.CHAT_BODY_LIMIT).build())
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final String[] TEXTS = {"", "Hello", " world", "quote \" backslash \\ slash /", "tab\tnew\nline\r",
            "\u0000\u001f\u007f", "naïve café ☕", "😀 emoji", "日本語", "</script><!--", "\u2028\u2029", "\ud800 lone"};
    private final ChatJson shapes = new ChatJson(JSON);

    @Test
    void completions_matchTheTrees() {
        TokenUsage usage = new TokenUsage(12, 34, 5);
        for (String text : TEXTS) {
            for (boolean cost : new boolean[]{false, true}) {
                for (FinishReason reason : FinishReason.values()) {
                    List<ChatJson.ToolCall> none = List.of();
                    same(tree(completionTree("chatcmpl-x", 1_700_000_000L, text, none, reason, usage, cost)),
                            shapes.completion("chatcmpl-x", 1_700_000_000L, text, none, reason, usage, cost));
                    List<ChatJson.ToolCall> calls = List.of(new ChatJson.ToolCall("call_1", "f", "{\"a\":" + 1 + "}"),
                            new ChatJson.ToolCall("call_2", text, text), new ChatJson.ToolCall("call_3", null, ""));
                    same(tree(completionTree("chatcmpl-y", 0, text, calls, reason, usage, cost)),
                            shapes.completion("chatcmpl-y", 0, text, calls, reason, usage, cost));
                }
            }
        }
    }

    @Test
    void chunks_matchTheTrees_oneWriterForAWholeStream() {
        TokenUsage usage = new TokenUsage(7, 0, 1);
        for (String id : new String[]{"chatcmpl-abc", "\"odd\" \u00e9 id"}) {
            try (ChatJson.Chunks chunks = shapes.chunks(id, 5)) {
                for (int round = 0; round < 2; round++) { // the same bytes from a writer that has written before
                    for (String text : TEXTS) {
                        for (boolean usageNull : new boolean[]{false, true}) {
                            ObjectNode first = JSON.createObjectNode();
                            first.put("role", "assistant");
                            first.put("content", "");
                            same(tree(chunkTree(id, 5, first, null, usageNull)), chunks.content("assistant", "", usageNull));
                            ObjectNode delta = JSON.createObjectNode();
                            delta.put("content", text);
                            same(tree(chunkTree(id, 5, delta, null, usageNull)), chunks.content(null, text, usageNull));
                            same(tree(chunkTree(id, 5, toolCallOpeningTree(2, "call_" + text, text), null, usageNull)),
                                    chunks.toolCallOpening(2, "call_" + text, text, usageNull));
                            same(tree(chunkTree(id, 5, toolCallOpeningTree(0, "c", null), null, usageNull)),
                                    chunks.toolCallOpening(0, "c", null, usageNull));
                            same(tree(chunkTree(id, 5, toolCallArgumentsTree(0, text), null, usageNull)),
                                    chunks.toolCallArguments(0, text, usageNull));
                        }
                        for (boolean cost : new boolean[]{false, true}) {
                            for (FinishReason reason : FinishReason.values()) {
                                same(tree(chunkTree(id, 5, JSON.createObjectNode(), reason, true)),
                                        chunks.finish(reason, true, null, cost));
                                ObjectNode last = chunkTree(id, 5, JSON.createObjectNode(), reason, false);
                                last.set("usage", usageTree(usage, cost));
                                same(tree(last), chunks.finish(reason, false, usage, cost));
                            }
                            ObjectNode usageChunk = header(id, 5, "chat.completion.chunk");
                            usageChunk.putArray("choices");
                            usageChunk.set("usage", usageTree(usage, cost));
                            same(tree(usageChunk), chunks.usage(usage, cost));
                        }
                    }
                }
            }
        }
        ChatJson.Chunks unused = shapes.chunks("x", 1);
        unused.close(); // nothing written but the shared parts
    }

    private static void same(byte[] expected, byte[] actual) {
        assertEquals(new String(expected, StandardCharsets.UTF_8), new String(actual, StandardCharsets.UTF_8));
        assertArrayEquals(expected, actual);
    }

    private static byte[] tree(ObjectNode node) {
        return Responses.bytes(JSON, node);
    }

    // The shapes as the route built them before, as trees.

    private static ObjectNode completionTree(String id, long created, String content, List<ChatJson.ToolCall> toolCalls,
                                             FinishReason reason, TokenUsage usage, boolean includeCost) {
        ObjectNode root = header(id, created, "chat.completion");
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        if (toolCalls.isEmpty() || !content.isEmpty()) message.put("content", content);
        else message.putNull("content");
        message.putNull("refusal");
        if (!toolCalls.isEmpty()) {
            ArrayNode calls = message.putArray("tool_calls");
            for (ChatJson.ToolCall call : toolCalls) {
                ObjectNode c = calls.addObject();
                c.put("id", call.id());
                c.put("type", "function");
                ObjectNode function = c.putObject("function");
                function.put("name", call.name());
                function.put("arguments", call.arguments());
            }
        }
        choice.putNull("logprobs");
        choice.put("finish_reason", reason.wire());
        root.set("usage", usageTree(usage, includeCost));
        return root;
    }

    private static ObjectNode chunkTree(String id, long created, ObjectNode delta, FinishReason reason, boolean usageNull) {
        ObjectNode root = header(id, created, "chat.completion.chunk");
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        choice.set("delta", delta);
        choice.putNull("logprobs");
        if (reason == null) choice.putNull("finish_reason");
        else choice.put("finish_reason", reason.wire());
        if (usageNull) root.putNull("usage");
        return root;
    }

    private static ObjectNode toolCallOpeningTree(int index, String callId, String name) {
        ObjectNode delta = JSON.createObjectNode();
        ObjectNode call = delta.putArray("tool_calls").addObject();
        call.put("index", index);
        call.put("id", callId);
        call.put("type", "function");
        ObjectNode function = call.putObject("function");
        function.put("name", name);
        function.put("arguments", "");
        return delta;
    }

    private static ObjectNode toolCallArgumentsTree(int index, String fragment) {
        ObjectNode delta = JSON.createObjectNode();
        ObjectNode call = delta.putArray("tool_calls").addObject();
        call.put("index", index);
        call.putObject("function").put("arguments", fragment);
        return delta;
    }

    private static ObjectNode usageTree(TokenUsage usage, boolean includeCost) {
        ObjectNode node = JSON.createObjectNode();
        node.put("prompt_tokens", usage.promptTokens());
        node.put("completion_tokens", usage.completionTokens());
        node.put("total_tokens", usage.totalTokens());
        if (includeCost) node.put("cost_cents", usage.costCents());
        return node;
    }

    private static ObjectNode header(String id, long created, String object) {
        ObjectNode root = JSON.createObjectNode();
        root.put("id", id);
        root.put("object", object);
        root.put("created", created);
        root.put("model", CompleteChat.MODEL);
        return root;
    }
}
