package ai.sentx.model.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sentx.port.ModelBackendException;
import ai.sentx.port.ModelEvent;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link ChunkScanner} against the Jackson path of {@link ChunkReader}: for generated chunks (valid,
 * unusual and broken), a reader with the fast path yields exactly what a reader without it yields.
 */
class ChunkScannerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] TEXTS = {"", "Hello", " fox", "a\\\"b", "tab\\there", "\\u00e9t\\u00E9", "\\ud83d\\ude00",
            "naïve ☕ 😀", "slash\\/", "\\\\", "line\\nbreak", "\\b\\f\\r", "\\u0000", "日本語"};

    @Test
    void theFastPathReadsTheCommonChunks() {
        ChunkScanner scanner = new ChunkScanner();
        List<ChunkReader.Choice> zeros = new ArrayList<>();
        String common = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
                + "\"model\":\"m\",\"system_fingerprint\":null,\"choices\":[{\"index\":0,\"delta\":{\"content\":\" fox\"},"
                + "\"logprobs\":null,\"finish_reason\":null}]}";
        assertTrue(scanner.scan(bytes(common), bytes(common).length, zeros));
        assertEquals(" fox", zeros.getFirst().content);
        String usage = "{\"id\":\"c\",\"choices\":[],\"usage\":{\"prompt_tokens\":20,\"completion_tokens\":16,"
                + "\"total_tokens\":36,\"prompt_tokens_details\":{\"cached_tokens\":0}}}";
        assertTrue(scanner.scan(bytes(usage), bytes(usage).length, zeros));
        assertTrue(scanner.usageSeen);
        assertEquals(20, scanner.promptTokens);
        assertEquals(16, scanner.completionTokens);
    }

    @Test
    void generatedChunks_readAlike_withAndWithoutTheFastPath() throws IOException {
        Random random = new Random(7);
        ChunkScanner scanner = new ChunkScanner();
        int scanned = 0;
        int total = 0;
        for (int i = 0; i < 20_000; i++) {
            List<String> events = new ArrayList<>();
            int n = 1 + random.nextInt(4);
            for (int e = 0; e < n; e++) {
                String event = chunk(random);
                events.add(random.nextInt(4) == 0 ? mutate(random, event) : event);
                total++;
                if (scanner.scan(bytes(events.getLast()), bytes(events.getLast()).length, new ArrayList<>())) scanned++;
            }
            if (random.nextBoolean()) events.add("[DONE]");
            assertEquals(outcome(events, false), outcome(events, true), String.join("\n", events));
        }
        assertTrue(scanned > total / 3, "the fast path read " + scanned + " of " + total + " events");
    }

    @Test
    void streamsWhoseEventsShareTheirStart_readAlike() throws IOException {
        // A scanner skips the start of an event that repeats the previous ones' bytes up to "choices".
        Random random = new Random(5);
        String[] starts = {"{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":",
                "{ \"id\" : \"c\" , \"choices\" : ", "{\"choices\":", "{\"usage\":null,\"choices\":",
                "{\"error\":null,\"choices\":", "{\"choices\":[],\"choices\":", "{\"a\":[1,{\"b\":\"\\u00e9\"}],\"choices\":"};
        String[] rests = {"}", ",\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":4}}", ",\"x\":1}", "}junk",
                ",\"choices\":[{\"delta\":{\"content\":\"again\"}}]}", ",\"error\":{\"code\":\"e\"}}"};
        ChunkScanner scanner = new ChunkScanner();
        int scanned = 0;
        for (int i = 0; i < 3000; i++) {
            String start = starts[random.nextInt(starts.length)];
            List<String> events = new ArrayList<>();
            for (int e = 1 + random.nextInt(6); e > 0; e--) {
                String event = (random.nextInt(5) == 0 ? starts[random.nextInt(starts.length)] : start)
                        + (random.nextInt(6) == 0 ? value(random, 1) : choices(random)) + rests[random.nextInt(rests.length)];
                events.add(random.nextInt(5) == 0 ? mutate(random, event) : event);
            }
            for (String event : events) {
                if (scanner.scan(bytes(event), bytes(event).length, new ArrayList<>())) scanned++;
            }
            assertEquals(outcome(events, false), outcome(events, true), String.join("\n", events));
        }
        assertTrue(scanned > 3000, "the fast path read " + scanned + " events");
    }

    @Test
    void strangeBytes_readAlike() throws IOException {
        String[] odd = {"{\"choices\":[{\"delta\":{\"content\":\"\u0001\"}}]}", "\uFEFF{\"choices\":[]}",
                "{\"choices\":[{\"index\":01,\"delta\":{}}]}", "{\"choices\":[{\"index\":1e0}]}",
                "{\"choices\":[{\"index\":-0,\"delta\":{\"content\":\"x\"}}]}", "{\"choices\":[{\"index\":2147483648}]}",
                "{\"usage\":{\"prompt_tokens\":1.5,\"completion_tokens\":2}}", "{\"usage\":{\"prompt_tokens\":\"7\"}}",
                "{\"usage\":{\"prompt_tokens\":3},\"usage\":null}", "{\"usage\":null,\"usage\":{\"completion_tokens\":4}}",
                "{\"error\":null,\"choices\":[{\"delta\":{\"content\":\"y\"}}]}", "{\"con\\u0074ent\":1}",
                "{\"choices\":[{\"delta\":{\"con\\u0074ent\":\"z\"}}]}", "{\"choices\":[{\"delta\":{\"tool_calls\":null}}]}",
                "{\"choices\":[{\"delta\":{\"tool_calls\":{}}}]}", "{\"choices\":[{\"finish_reason\":7}]}",
                "{\"choices\":[{\"finish_reason\":{\"a\":1},\"delta\":{\"content\":\"q\"}}]}", "{\"a\":[1,]}",
                "{\"a\":tru}", "{\"a\":truex}", "{\"a\":-}", "{\"a\":1.}", "{\"a\":.5}", "{\"a\":+1}", "{\"a\":1e}",
                "{\"a\":\"\\x\"}", "{\"a\":\"\\u12G4\"}", "{\"a\":1}garbage", "{\"a\":1} {\"b\":2}", "  {}  ", "{}",
                "{\"a\" : [ ] , \"choices\" : [ { \"delta\" : { \"content\" : \"s p\" } } ] }",
                "{\"choices\":[{\"delta\":{\"content\":\"a\",\"content\":null}}]}",
                "{\"choices\":[{\"delta\":{\"refusal\":\"no\"}},{\"index\":0,\"delta\":{\"reasoning\":\"r\"}}]}",
                "{\"choices\":[{\"delta\":{\"content\":\"x\"},\"delta\":{\"refusal\":\"r\"}}]}", "{\"choices\":[1,\"a\",null]}",
                "{\"a\":" + "[".repeat(300) + "]".repeat(300) + "}", "{\"a\":/*c*/1}", "{'a':1}", "{\"a\":NaN}"};
        for (String s : odd) {
            assertEquals(outcome(List.of(s), false), outcome(List.of(s), true), s);
        }
        byte[][] raw = {{'{', '"', 'a', '"', ':', '"', (byte) 0xC3, '"', '}'},
                {'{', '"', 'a', '"', ':', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', '}'},
                {'{', '"', 'a', '"', ':', '"', (byte) 0xC0, (byte) 0x80, '"', '}'},
                {'{', '"', 'a', '"', ':', '"', (byte) 0xF5, (byte) 0x80, (byte) 0x80, (byte) 0x80, '"', '}'},
                {'{', '"', (byte) 0xC3, (byte) 0xA9, '"', ':', '1', '}'},
                {'{', '"', 'c', 'h', 'o', 'i', 'c', 'e', 's', '"', ':', '[', '{', '"', 'd', 'e', 'l', 't', 'a', '"', ':', '{',
                        '"', 'c', 'o', 'n', 't', 'e', 'n', 't', '"', ':', '"', (byte) 0xE2, (byte) 0x82, '"', '}', '}', ']', '}'},
                {'{', 0, '"', 0, 'a', 0, '"', 0, ':', 0, '1', 0, '}', 0}};
        for (byte[] b : raw) {
            assertEquals(outcome(b, false), outcome(b, true), new String(b, StandardCharsets.ISO_8859_1));
        }
    }

    private static String outcome(List<String> events, boolean fast) {
        ChunkReader reader = new ChunkReader(JSON, fast);
        StringBuilder sb = new StringBuilder();
        for (String e : events) sb.append(read(reader, bytes(e)));
        return sb.append(" generating=").append(reader.generating()).append(" done=").append(reader.done())
                .append(" end=").append(describe(reader.endOfBody())).toString();
    }

    private static String outcome(byte[] event, boolean fast) {
        ChunkReader reader = new ChunkReader(JSON, fast);
        return read(reader, event) + " generating=" + reader.generating() + " end=" + describe(reader.endOfBody());
    }

    private static String read(ChunkReader reader, byte[] event) {
        byte[] padded = Arrays.copyOf(event, event.length + 3); // the reader gets a longer, reused array
        padded[event.length] = '}';
        List<Object> out = new ArrayList<>();
        try {
            reader.read(padded, event.length, out);
        } catch (IOException e) {
            return "[thrown " + e.getClass().getSimpleName() + "]" + describeAll(out);
        }
        return describeAll(out);
    }

    private static String describeAll(List<Object> out) {
        StringBuilder sb = new StringBuilder();
        for (Object o : out) sb.append(describe(o)).append(';');
        return sb.toString();
    }

    private static String describe(Object o) {
        return switch (o) {
            case null -> "null";
            case ModelEvent.ToolCallDelta t -> "tool(" + t.index() + "," + (t.id() != null && t.id().startsWith("call_")
                    && t.id().length() == 29 ? "<made-up>" : t.id()) + "," + t.name() + "," + t.argumentsFragment() + ")";
            case ModelBackendException e -> "failure(" + e.kind() + "," + e.getMessage() + ")";
            default -> o.toString();
        };
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    // --- generation ------------------------------------------------------------------------------

    private static String chunk(Random r) {
        List<String> members = new ArrayList<>();
        if (r.nextInt(3) > 0) members.add(member(r, "id", string(r)));
        if (r.nextBoolean()) members.add(member(r, "object", "\"chat.completion.chunk\""));
        if (r.nextBoolean()) members.add(member(r, "created", Integer.toString(r.nextInt(2_000_000_000))));
        if (r.nextInt(4) == 0) members.add(member(r, "system_fingerprint", r.nextBoolean() ? "null" : string(r)));
        if (r.nextInt(5) > 0) members.add(member(r, "choices", choices(r)));
        if (r.nextInt(4) == 0) members.add(member(r, "usage", usage(r)));
        if (r.nextInt(25) == 0) members.add(member(r, "error", r.nextBoolean() ? "null"
                : "{\"message\":\"m\",\"code\":\"overloaded\"}"));
        if (r.nextInt(6) == 0) members.add(member(r, "extra", value(r, 0)));
        java.util.Collections.shuffle(members, r);
        return object(r, members);
    }

    private static String choices(Random r) {
        if (r.nextInt(15) == 0) return value(r, 1);
        List<String> items = new ArrayList<>();
        int n = r.nextInt(10) == 0 ? r.nextInt(3) : 1;
        for (int i = 0; i < n; i++) {
            List<String> members = new ArrayList<>();
            if (r.nextInt(3) > 0) members.add(member(r, "index", r.nextInt(5) == 0 ? Integer.toString(r.nextInt(3))
                    : r.nextInt(30) == 0 ? value(r, 2) : "0"));
            if (r.nextInt(5) > 0) members.add(member(r, "delta", delta(r)));
            if (r.nextBoolean()) members.add(member(r, "logprobs", "null"));
            if (r.nextInt(3) > 0) {
                String[] reasons = {"null", "\"stop\"", "\"length\"", "\"tool_calls\"", "\"content_filter\"", "\"eos\""};
                members.add(member(r, "finish_reason", reasons[r.nextInt(reasons.length)]));
            }
            java.util.Collections.shuffle(members, r);
            items.add(object(r, members));
        }
        return "[" + ws(r) + String.join("," + ws(r), items) + ws(r) + "]";
    }

    private static String delta(Random r) {
        if (r.nextInt(20) == 0) return value(r, 2);
        List<String> members = new ArrayList<>();
        if (r.nextInt(4) == 0) members.add(member(r, "role", "\"assistant\""));
        if (r.nextInt(4) > 0) members.add(member(r, "content", r.nextInt(8) == 0 ? value(r, 3) : string(r)));
        if (r.nextInt(10) == 0) members.add(member(r, "refusal", string(r)));
        if (r.nextInt(10) == 0) members.add(member(r, "reasoning_content", string(r)));
        if (r.nextInt(12) == 0) members.add(member(r, "reasoning", r.nextBoolean() ? string(r) : "null"));
        if (r.nextInt(10) == 0) {
            members.add(member(r, "tool_calls", r.nextInt(4) == 0 ? "null" : "[{\"index\":" + r.nextInt(2)
                    + ",\"id\":\"call_x\",\"function\":{\"name\":\"f\",\"arguments\":" + string(r) + "}}]"));
        }
        java.util.Collections.shuffle(members, r);
        return object(r, members);
    }

    private static String usage(Random r) {
        if (r.nextInt(8) == 0) return value(r, 1);
        List<String> members = new ArrayList<>();
        if (r.nextInt(5) > 0) members.add(member(r, "prompt_tokens", number(r)));
        if (r.nextInt(5) > 0) members.add(member(r, "completion_tokens", number(r)));
        if (r.nextBoolean()) members.add(member(r, "total_tokens", number(r)));
        if (r.nextInt(4) == 0) members.add(member(r, "prompt_tokens_details", "{\"cached_tokens\":0}"));
        java.util.Collections.shuffle(members, r);
        return object(r, members);
    }

    private static String number(Random r) {
        return switch (r.nextInt(12)) {
            case 0 -> "1.5";
            case 1 -> "\"12\"";
            case 2 -> "null";
            case 3 -> "-3";
            case 4 -> "12345678901234567890";
            case 5 -> "2e3";
            default -> Integer.toString(r.nextInt(100_000));
        };
    }

    private static String value(Random r, int depth) {
        int kind = depth > 4 ? r.nextInt(5) : r.nextInt(7);
        return switch (kind) {
            case 0 -> string(r);
            case 1 -> new String[]{"0", "-1", "3.25", "1e10", "-0.5E-3", "42", "123456789012"}[r.nextInt(7)];
            case 2 -> "true";
            case 3 -> "false";
            case 4 -> "null";
            case 5 -> {
                List<String> items = new ArrayList<>();
                for (int i = r.nextInt(3); i > 0; i--) items.add(value(r, depth + 1));
                yield "[" + ws(r) + String.join("," + ws(r), items) + ws(r) + "]";
            }
            default -> {
                List<String> members = new ArrayList<>();
                for (int i = r.nextInt(3); i > 0; i--) members.add(member(r, "k" + r.nextInt(3), value(r, depth + 1)));
                yield object(r, members);
            }
        };
    }

    private static String string(Random r) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = r.nextInt(3); i >= 0; i--) sb.append(TEXTS[r.nextInt(TEXTS.length)]);
        return sb.append('"').toString();
    }

    private static String member(Random r, String name, String value) {
        return "\"" + name + "\"" + ws(r) + ":" + ws(r) + value;
    }

    private static String object(Random r, List<String> members) {
        return "{" + ws(r) + String.join(ws(r) + "," + ws(r), members) + ws(r) + "}";
    }

    private static String ws(Random r) {
        return r.nextInt(8) == 0 ? new String[]{" ", "\n", "\t", "\r\n ", "  "}[r.nextInt(5)] : "";
    }

    /** A small random change: a byte dropped, repeated or replaced, or the event cut short. */
    private static String mutate(Random r, String event) {
        byte[] b = bytes(event);
        if (b.length < 2) return event;
        int at = r.nextInt(b.length);
        byte[] out = switch (r.nextInt(4)) {
            case 0 -> concat(Arrays.copyOfRange(b, 0, at), Arrays.copyOfRange(b, at + 1, b.length));
            case 1 -> concat(Arrays.copyOfRange(b, 0, at + 1), Arrays.copyOfRange(b, at, b.length));
            case 2 -> {
                byte[] c = b.clone();
                byte[] swaps = "{}[]\":,\\ 0-e.tnu".getBytes(StandardCharsets.US_ASCII);
                c[at] = swaps[r.nextInt(swaps.length)];
                yield c;
            }
            default -> Arrays.copyOfRange(b, 0, at);
        };
        return new String(out, StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
