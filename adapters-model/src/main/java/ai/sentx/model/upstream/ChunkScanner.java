package ai.sentx.model.upstream;

import ai.sentx.domain.chat.FinishReason;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The fast path of {@link ChunkReader}: reads the common {@code chat.completion.chunk} (choices with
 * text deltas, finish reasons, a usage object) straight from the event's bytes, without a Jackson
 * parser per event. It accepts only a strict subset of JSON and only the shapes it fully
 * understands; for anything else (an error event, tool calls, escaped field names, a number that is
 * not a plain integer where one is read, malformed or unusual input) it gives up and
 * {@link ChunkReader} reads the event with Jackson, which decides as before. So whatever it accepts,
 * it reads exactly as the Jackson path does: same texts, same finish reasons, same usage.
 *
 * <p>Not thread-safe: one per {@link ChunkReader}.
 */
final class ChunkScanner {
    private static final byte[] ERROR = ascii("error");
    private static final byte[] USAGE = ascii("usage");
    private static final byte[] CHOICES = ascii("choices");
    private static final byte[] INDEX = ascii("index");
    private static final byte[] FINISH_REASON = ascii("finish_reason");
    private static final byte[] DELTA = ascii("delta");
    private static final byte[] CONTENT = ascii("content");
    private static final byte[] REFUSAL = ascii("refusal");
    private static final byte[] REASONING_CONTENT = ascii("reasoning_content");
    private static final byte[] REASONING = ascii("reasoning");
    private static final byte[] TOOL_CALLS = ascii("tool_calls");
    private static final byte[] PROMPT_TOKENS = ascii("prompt_tokens");
    private static final byte[] COMPLETION_TOKENS = ascii("completion_tokens");
    private static final byte[] TRUE = ascii("true");
    private static final byte[] FALSE = ascii("false");
    private static final byte[] NULL = ascii("null");
    /** Far below Jackson's limits (nesting 1000, numbers 1000 digits, names 50,000 bytes). */
    private static final int MAX_DEPTH = 200;
    private static final int MAX_NUMBER_CHARS = 100;
    private static final int MAX_NAME_BYTES = 1000;
    private static final int MAX_KNOWN_BYTES = 1024;
    /** Thrown when the fast path cannot decide; preallocated, no stack trace. */
    private static final Unsure UNSURE = new Unsure();

    private byte[] b;
    private int pos;
    private int end;
    private int nameFrom;
    private int nameTo;
    /** Whether the last string {@link #stringEnd} checked holds an escape or a non-ASCII byte. */
    private boolean escapedOrHigh;

    /** The start of an event up to the value of {@code choices}, read before: {@link #remember}. */
    private byte[] known = new byte[0];
    private int knownLength;

    /** Whether the last chunk scanned had a usage object (the last {@code usage} field, if several). */
    boolean usageSeen;
    long promptTokens;
    long completionTokens;

    /**
     * Reads one event's data; on success adds choice 0's entries to {@code zeros} (in order) and sets
     * the usage fields.
     *
     * @return {@code false} if the event must be read by the Jackson path ({@code zeros} is then as it was)
     */
    boolean scan(byte[] data, int length, List<ChunkReader.Choice> zeros) {
        b = data;
        pos = 0;
        end = length;
        usageSeen = false;
        promptTokens = 0;
        completionTokens = 0;
        int before = zeros.size();
        try {
            top(zeros);
            return true;
        } catch (Unsure e) {
            while (zeros.size() > before) zeros.removeLast();
            usageSeen = false;
            return false;
        } finally {
            b = null;
        }
    }

    private void top(List<ChunkReader.Choice> zeros) throws Unsure {
        // Whether every member so far was skipped (then the position is all they left).
        boolean skippedOnly = true;
        if (knownLength > 0 && knownLength < end && Arrays.equals(b, 0, knownLength, known, 0, knownLength)) {
            // The same bytes up to the value of "choices" as an event read before: continue from there.
            pos = knownLength;
            skippedOnly = false;
            if (ws() == '[') choices(zeros);
            else skipValue(0);
            if (!nextMember('}')) return;
        } else {
            if (ws() != '{') throw UNSURE;
            pos++;
            if (ws() == '}') return; // what follows the object is not read, as on the Jackson path
        }
        while (true) {
            name();
            if (is(ERROR)) {
                skippedOnly = false;
                if (ws() != 'n') throw UNSURE; // an error event: the Jackson path reads it
                literal(NULL);
            } else if (is(USAGE)) {
                skippedOnly = false;
                if (ws() == '{') {
                    usage();
                } else {
                    skipValue(0);
                    usageSeen = false;
                }
            } else if (is(CHOICES) && ws() == '[') {
                if (skippedOnly) remember();
                skippedOnly = false;
                choices(zeros);
            } else {
                skipValue(0);
            }
            if (!nextMember('}')) return;
        }
    }

    /**
     * Keeps the event's bytes up to the value of {@code choices} (which only skipped members
     * precede): a later event of the stream that starts with the same bytes starts reading there.
     */
    private void remember() {
        if (pos > MAX_KNOWN_BYTES) return;
        if (known.length < pos) known = new byte[Math.max(pos, 128)];
        System.arraycopy(b, 0, known, 0, pos);
        knownLength = pos;
    }

    private void usage() throws Unsure {
        pos++;
        long prompt = 0;
        long completion = 0;
        if (ws() != '}') {
            while (true) {
                name();
                if (is(PROMPT_TOKENS)) prompt = integer(18);
                else if (is(COMPLETION_TOKENS)) completion = integer(18);
                else skipValue(1);
                if (!nextMember('}')) break;
            }
        } else {
            pos++;
        }
        usageSeen = true;
        promptTokens = prompt;
        completionTokens = completion;
    }

    private void choices(List<ChunkReader.Choice> zeros) throws Unsure {
        pos++;
        if (ws() == ']') {
            pos++;
            return;
        }
        while (true) {
            if (ws() == '{') {
                ChunkReader.Choice c = choice();
                if (c.index == 0) zeros.add(c);
            } else {
                skipValue(1);
            }
            if (!nextMember(']')) return;
        }
    }

    private ChunkReader.Choice choice() throws Unsure {
        pos++;
        ChunkReader.Choice c = new ChunkReader.Choice();
        String refusal = null;
        if (ws() != '}') {
            while (true) {
                name();
                if (is(INDEX)) {
                    c.index = (int) integer(9);
                } else if (is(FINISH_REASON)) {
                    int v = ws();
                    if (v == '"') {
                        c.finish = ChunkReader.finishReason(string());
                    } else if (v == 'n') {
                        literal(NULL);
                        c.finish = null;
                    } else {
                        throw UNSURE;
                    }
                } else if (is(DELTA) && ws() == '{') {
                    pos++;
                    if (ws() != '}') {
                        while (true) {
                            name();
                            if (is(CONTENT)) {
                                c.content = text();
                            } else if (is(REFUSAL)) {
                                refusal = text();
                            } else if (is(REASONING_CONTENT) || is(REASONING)) {
                                c.reasoning |= text() != null;
                            } else if (is(TOOL_CALLS)) {
                                int v = ws();
                                if (v == '[' || v == '{') throw UNSURE; // tool calls: the Jackson path
                                skipValue(3);
                                c.toolCalls = null;
                            } else {
                                skipValue(3);
                            }
                            if (!nextMember('}')) break;
                        }
                    } else {
                        pos++;
                    }
                } else {
                    skipValue(2);
                }
                if (!nextMember('}')) break;
            }
        } else {
            pos++;
        }
        if (c.content == null) c.content = refusal;
        return c;
    }

    /** A non-empty string's text, else {@code null} (the value skipped), as {@code ChunkReader.text}. */
    private String text() throws Unsure {
        if (ws() != '"') {
            skipValue(4);
            return null;
        }
        String s = string();
        return s.isEmpty() ? null : s;
    }

    /**
     * After a member or element: a comma (then the next one follows) or {@code close}.
     *
     * @return whether another member follows
     */
    private boolean nextMember(char close) throws Unsure {
        int c = ws();
        if (c == ',') {
            pos++;
            return true;
        }
        if (c == close) {
            pos++;
            return false;
        }
        throw UNSURE;
    }

    /** Reads a field name and its colon; the name is at {@code nameFrom..nameTo}. Plain ASCII only. */
    private void name() throws Unsure {
        if (ws() != '"') throw UNSURE;
        int i = ++pos;
        while (true) {
            if (i >= end) throw UNSURE;
            int x = b[i];
            if (x == '"') break;
            if (x < 0x20 || x == '\\') throw UNSURE; // negative: a byte >= 0x80
            i++;
        }
        if (i - pos > MAX_NAME_BYTES) throw UNSURE;
        nameFrom = pos;
        nameTo = i;
        pos = i + 1;
        if (ws() != ':') throw UNSURE;
        pos++;
        ws();
    }

    private boolean is(byte[] name) {
        return nameTo - nameFrom == name.length && Arrays.equals(b, nameFrom, nameTo, name, 0, name.length);
    }

    /** The next byte that is not JSON whitespace (not consumed), or -1 at the end. */
    private int ws() {
        while (pos < end) {
            byte c = b[pos];
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') return c;
            pos++;
        }
        return -1;
    }

    /** A string value at {@code pos} (its opening quote), decoded. */
    private String string() throws Unsure {
        int start = pos + 1;
        int close = stringEnd(start);
        pos = close + 1;
        if (!escapedOrHigh) return new String(b, start, close - start, StandardCharsets.ISO_8859_1);
        return decode(start, close);
    }

    /**
     * The index of the closing quote of a string whose text starts at {@code from}, checking it as
     * Jackson would accept it: no raw control character, only JSON escapes, well-formed UTF-8.
     */
    private int stringEnd(int from) throws Unsure {
        boolean high = false;
        boolean escaped = false;
        int i = from;
        while (true) {
            i = Bytes.indexOfStringSpecial(b, i, end);
            if (i >= end) throw UNSURE;
            int x = b[i];
            if (x == '"') break;
            if (x == '\\') {
                escaped = true;
                i = escapeEnd(i);
                continue;
            }
            if (x < 0) high = true;
            else if (x < 0x20) throw UNSURE;
            i++;
        }
        if (high && !wellFormedUtf8(from, i)) throw UNSURE;
        escapedOrHigh = escaped || high;
        return i;
    }

    /** The index after the escape sequence at {@code i} (its backslash). */
    private int escapeEnd(int i) throws Unsure {
        if (i + 1 >= end) throw UNSURE;
        switch (b[i + 1]) {
            case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' -> {
                return i + 2;
            }
            case 'u' -> {
                if (i + 6 > end) throw UNSURE;
                for (int k = i + 2; k < i + 6; k++) {
                    if (Character.digit(b[k], 16) < 0) throw UNSURE;
                }
                return i + 6;
            }
            default -> throw UNSURE;
        }
    }

    /** Decodes a checked string with escapes or non-ASCII text. */
    private String decode(int from, int to) {
        StringBuilder sb = new StringBuilder(to - from);
        int run = from;
        int i = from;
        while (i < to) {
            if (b[i] != '\\') {
                i++;
                continue;
            }
            if (i > run) sb.append(new String(b, run, i - run, StandardCharsets.UTF_8));
            byte e = b[i + 1];
            switch (e) {
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> {
                    sb.append((char) Integer.parseInt(new String(b, i + 2, 4, StandardCharsets.ISO_8859_1), 16));
                    i += 4;
                }
                default -> sb.append((char) e); // '"', '\\' or '/'
            }
            i += 2;
            run = i;
        }
        if (to > run) sb.append(new String(b, run, to - run, StandardCharsets.UTF_8));
        return sb.toString();
    }

    /**
     * Whether {@code from..to} is well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates,
     * nothing above U+10FFFF), which both Jackson and {@link String} decode to the same characters.
     */
    private boolean wellFormedUtf8(int from, int to) {
        int i = from;
        while (i < to) {
            int x = b[i] & 0xFF;
            if (x < 0x80) {
                i++;
                continue;
            }
            int more;
            int lo = 0x80;
            int hi = 0xBF;
            if (x >= 0xC2 && x <= 0xDF) {
                more = 1;
            } else if (x >= 0xE0 && x <= 0xEF) {
                more = 2;
                if (x == 0xE0) lo = 0xA0;
                else if (x == 0xED) hi = 0x9F;
            } else if (x >= 0xF0 && x <= 0xF4) {
                more = 3;
                if (x == 0xF0) lo = 0x90;
                else if (x == 0xF4) hi = 0x8F;
            } else {
                return false;
            }
            if (i + more >= to) return false;
            int second = b[i + 1] & 0xFF;
            if (second < lo || second > hi) return false;
            for (int k = 2; k <= more; k++) {
                if ((b[i + k] & 0xC0) != 0x80) return false;
            }
            i += more + 1;
        }
        return true;
    }

    /** An integer literal of at most {@code digits} digits (optionally negative), nothing else. */
    private long integer(int digits) throws Unsure {
        int start = pos;
        boolean negative = false;
        if (pos < end && b[pos] == '-') {
            negative = true;
            pos++;
        }
        int first = pos;
        long value = 0;
        while (pos < end && b[pos] >= '0' && b[pos] <= '9') {
            value = value * 10 + (b[pos] - '0');
            pos++;
        }
        int n = pos - first;
        if (n == 0 || n > digits || (n > 1 && b[first] == '0')) throw UNSURE;
        if (pos < end && (b[pos] == '.' || b[pos] == 'e' || b[pos] == 'E')) throw UNSURE;
        if (pos - start > MAX_NUMBER_CHARS) throw UNSURE;
        return negative ? -value : value;
    }

    /** Skips any value at {@code pos} (after whitespace), checking it is valid JSON. */
    private void skipValue(int depth) throws Unsure {
        if (depth > MAX_DEPTH) throw UNSURE;
        int c = ws();
        switch (c) {
            case '"' -> pos = stringEnd(pos + 1) + 1;
            case '{' -> {
                pos++;
                if (ws() == '}') {
                    pos++;
                    return;
                }
                do {
                    if (ws() != '"') throw UNSURE;
                    pos = stringEnd(pos + 1) + 1;
                    if (ws() != ':') throw UNSURE;
                    pos++;
                    skipValue(depth + 1);
                } while (nextMember('}'));
            }
            case '[' -> {
                pos++;
                if (ws() == ']') {
                    pos++;
                    return;
                }
                do {
                    skipValue(depth + 1);
                } while (nextMember(']'));
            }
            case 't' -> literal(TRUE);
            case 'f' -> literal(FALSE);
            case 'n' -> literal(NULL);
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) number();
                else throw UNSURE;
            }
        }
    }

    private void literal(byte[] word) throws Unsure {
        if (end - pos < word.length || !Arrays.equals(b, pos, pos + word.length, word, 0, word.length)) throw UNSURE;
        pos += word.length;
        delimiterFollows();
    }

    /** A JSON number: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
    private void number() throws Unsure {
        int start = pos;
        if (b[pos] == '-') pos++;
        if (pos >= end) throw UNSURE;
        if (b[pos] == '0') {
            pos++;
        } else if (b[pos] >= '1' && b[pos] <= '9') {
            digits();
        } else {
            throw UNSURE;
        }
        if (pos < end && b[pos] == '.') {
            pos++;
            if (digits() == 0) throw UNSURE;
        }
        if (pos < end && (b[pos] == 'e' || b[pos] == 'E')) {
            pos++;
            if (pos < end && (b[pos] == '+' || b[pos] == '-')) pos++;
            if (digits() == 0) throw UNSURE;
        }
        if (pos - start > MAX_NUMBER_CHARS) throw UNSURE;
        delimiterFollows();
    }

    private int digits() {
        int from = pos;
        while (pos < end && b[pos] >= '0' && b[pos] <= '9') pos++;
        return pos - from;
    }

    /** A scalar must be followed by whitespace, a comma or a closing bracket (not by more letters or digits). */
    private void delimiterFollows() throws Unsure {
        if (pos >= end) throw UNSURE;
        byte c = b[pos];
        if (c != ',' && c != '}' && c != ']' && c != ' ' && c != '\n' && c != '\r' && c != '\t') throw UNSURE;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** The fast path gives up. */
    private static final class Unsure extends Exception {
        Unsure() {
            super(null, null, false, false);
        }
    }
}
