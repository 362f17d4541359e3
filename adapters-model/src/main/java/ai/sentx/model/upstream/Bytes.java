package ai.sentx.model.upstream;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Searches in byte arrays eight bytes at a time (SWAR: each {@code long} read tests all its bytes
 * with a few arithmetic operations), for the relay's scans of upstream bodies.
 */
final class Bytes {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long LF = '\n' * ONES;
    private static final long CR = '\r' * ONES;
    private static final long QUOTE = '"' * ONES;
    private static final long BACKSLASH = '\\' * ONES;
    private static final long SPACES = 0x20 * ONES;

    private Bytes() {
    }

    /** The index of the first LF or CR in {@code b[from..to)}, or -1. */
    static int indexOfLineEnd(byte[] b, int from, int to) {
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long w = (long) LONGS.get(b, i);
            long found = equal(w, LF) | equal(w, CR);
            if (found != 0) return i + (Long.numberOfTrailingZeros(found) >>> 3);
        }
        for (; i < to; i++) {
            if (b[i] == '\n' || b[i] == '\r') return i;
        }
        return -1;
    }

    /**
     * The index of the first byte in {@code b[from..to)} that a JSON string scan must look at: a
     * quote, a backslash, a control character (below 0x20) or a byte of a multi-byte UTF-8
     * character (0x80 and above); {@code to} if there is none.
     */
    static int indexOfStringSpecial(byte[] b, int from, int to) {
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long w = (long) LONGS.get(b, i);
            long found = equal(w, QUOTE) | equal(w, BACKSLASH) | ((w - SPACES) & ~w & HIGHS) | (w & HIGHS);
            if (found != 0) return i + (Long.numberOfTrailingZeros(found) >>> 3);
        }
        for (; i < to; i++) {
            int x = b[i];
            if (x == '"' || x == '\\' || x < 0x20) return i; // negative: 0x80 and above
        }
        return to;
    }

    /**
     * The high bit of each byte of {@code w} equal to the byte of {@code pattern} (all bytes alike).
     * Exact for the lowest such byte (a borrow only flags bytes above a match), which is all the
     * searches use.
     */
    private static long equal(long w, long pattern) {
        long x = w ^ pattern;
        return (x - ONES) & ~x & HIGHS;
    }
}
