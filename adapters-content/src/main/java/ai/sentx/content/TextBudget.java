package ai.sentx.content;

import java.io.Writer;

/**
 * The text of one document as it is read, cut at a character limit, and the clock it is read
 * against. Readers push text in; when the limit is reached or the deadline passes, {@link Stop} is
 * thrown from inside the parser to end the read at once.
 */
final class TextBudget {
    /** Ends a read early: the text is full, or time is up. Carries no stack trace (it is control flow). */
    static final class Stop extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final boolean timeUp;

        Stop(boolean timeUp) {
            super(timeUp ? "deadline passed" : "text limit reached", null, false, false);
            this.timeUp = timeUp;
        }
    }

    private final StringBuilder text = new StringBuilder();
    private final int maxChars;
    private final long deadlineNanos;
    private boolean truncated;

    TextBudget(int maxChars, long deadlineNanos) {
        this.maxChars = maxChars;
        this.deadlineNanos = deadlineNanos;
    }

    /** Throws {@link Stop} when the deadline has passed or the reading thread was interrupted. */
    void checkTime() {
        if (System.nanoTime() - deadlineNanos > 0 || Thread.currentThread().isInterrupted()) throw new Stop(true);
    }

    void append(CharSequence s) {
        append(s, 0, s.length());
    }

    void append(CharSequence s, int start, int end) {
        checkTime();
        int room = maxChars - text.length();
        int length = end - start;
        if (length <= room) {
            text.append(s, start, end);
            return;
        }
        int cut = start + room;
        // Do not keep half of a surrogate pair.
        if (cut > start && Character.isHighSurrogate(s.charAt(cut - 1))) cut--;
        text.append(s, start, cut);
        truncated = true;
        throw new Stop(false);
    }

    void append(char c) {
        checkTime();
        if (text.length() >= maxChars) {
            truncated = true;
            throw new Stop(false);
        }
        text.append(c);
    }

    /** How many more characters fit. */
    int room() {
        return maxChars - text.length();
    }

    /** The last character kept, or {@code 0} when there is none. */
    char last() {
        return text.isEmpty() ? 0 : text.charAt(text.length() - 1);
    }

    void markTruncated() {
        truncated = true;
    }

    boolean truncated() {
        return truncated;
    }

    String text() {
        return text.toString();
    }

    /** A writer into this budget, for libraries that write their text out. */
    Writer writer() {
        return new Writer() {
            @Override
            public void write(char[] buf, int off, int len) {
                TextBudget.this.append(java.nio.CharBuffer.wrap(buf), off, off + len);
            }

            @Override
            public void write(String str, int off, int len) {
                TextBudget.this.append(str, off, off + len);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
    }
}
