package ai.sentx.port;

import ai.sentx.domain.chat.FinishReason;
import java.util.Objects;

/** What a {@link ModelStream} yields. */
public sealed interface ModelEvent {
    /** A piece of the reply, to be sent to the client at once. */
    record TextDelta(String text) implements ModelEvent {
    }

    /**
     * A piece of a tool (function) call the model is making, to be sent to the client at once. The
     * first delta of a call carries its {@code id} and {@code name}; later deltas of the same
     * {@code index} carry only more of its JSON arguments, to be appended in order.
     *
     * @param index             which call of this reply, contiguous from 0 in order of first appearance
     * @param id                the call's id ({@code call_...}) on its first delta, else {@code null}
     * @param name              the function's name on the call's first delta, else {@code null}
     * @param argumentsFragment the next piece of the arguments' JSON text; may be empty, never null
     */
    record ToolCallDelta(int index, String id, String name, String argumentsFragment) implements ModelEvent {
        public ToolCallDelta {
            if (index < 0) throw new IllegalArgumentException("index < 0");
            if ((id == null) != (name == null)) {
                throw new IllegalArgumentException("id and name come together, on a call's first delta");
            }
            Objects.requireNonNull(argumentsFragment, "argumentsFragment");
        }

        /** Whether this delta opens its call (carries the id and the name). */
        public boolean opensCall() {
            return id != null;
        }
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
