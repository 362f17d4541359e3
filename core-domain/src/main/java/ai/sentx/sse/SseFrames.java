package ai.sentx.sse;

import java.nio.charset.StandardCharsets;

/**
 * Server-sent-event framing as the OpenAI SDKs parse it: only {@code data: <json>\n\n} events
 * and {@code :} comment lines; no {@code event:}, {@code id:} or {@code retry:} fields.
 */
public final class SseFrames {
    /** The stream's last event. */
    public static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);
    /** Sent while the model is silent, so proxies and clients keep the connection. */
    public static final byte[] KEEP_ALIVE = ": keep-alive\n\n".getBytes(StandardCharsets.US_ASCII);

    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "\n\n".getBytes(StandardCharsets.US_ASCII);

    private SseFrames() {
    }

    /**
     * One {@code data:} event carrying {@code json} (UTF-8).
     *
     * @throws IllegalArgumentException if the payload contains a line break, which would split the
     *                                  event (serialised JSON never does)
     */
    public static byte[] data(byte[] json) {
        for (byte b : json) {
            if (b == '\n' || b == '\r') throw new IllegalArgumentException("an SSE data payload must be one line");
        }
        byte[] out = new byte[DATA.length + json.length + END.length];
        System.arraycopy(DATA, 0, out, 0, DATA.length);
        System.arraycopy(json, 0, out, DATA.length, json.length);
        System.arraycopy(END, 0, out, DATA.length + json.length, END.length);
        return out;
    }

    /** {@link #data(byte[])} of a string. */
    public static byte[] data(String json) {
        return data(json.getBytes(StandardCharsets.UTF_8));
    }
}
