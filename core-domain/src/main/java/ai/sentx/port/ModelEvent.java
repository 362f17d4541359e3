package ai.sentx.port;

import ai.sentx.domain.chat.FinishReason;

/** What a {@link ModelStream} yields. */
public sealed interface ModelEvent {
    /** A piece of the reply, to be sent to the client at once. */
    record TextDelta(String text) implements ModelEvent {
    }

    /** Nothing arrived within the wait; the caller may send a keep-alive and ask again. */
    record Idle() implements ModelEvent {
    }

    /**
     * The end of the reply, with the exact token counts of what was sent to and produced by the
     * model. Always the last event.
     */
    record Finished(FinishReason reason, long promptTokens, long completionTokens) implements ModelEvent {
    }
}
