package ai.sentx.application;

import ai.sentx.domain.Failure;
import ai.sentx.domain.chat.FinishReason;
import ai.sentx.domain.chat.TokenUsage;
import java.io.IOException;

/**
 * Receives a completion as it is produced; implemented by the HTTP adapter (SSE writer or
 * buffering JSON writer). An {@link IOException} from any method means the client is gone: the
 * use case stops the model and bills what was generated.
 */
public interface ChatObserver {
    /** The model accepted the call; nothing was sent before this. */
    void begin(String completionId, long createdEpochSeconds) throws IOException;

    /** A piece of the reply; a streaming observer writes and flushes it at once. */
    void delta(String text) throws IOException;

    /**
     * A piece of a tool call (OPENAI-WIRE "tool-call deltas"); a streaming observer writes and
     * flushes it at once. The first piece of call {@code index} has its {@code id} and {@code name};
     * later pieces have both {@code null} and only more arguments text.
     */
    void toolCall(int index, String id, String name, String argumentsFragment) throws IOException;

    /** The model has been silent for a while; a streaming observer sends a comment line. */
    void keepAlive() throws IOException;

    /** The reply is complete; {@code usage.costCents()} is what was charged. */
    void end(FinishReason reason, TokenUsage usage) throws IOException;

    /** The call failed after {@link #begin}; nothing was charged. */
    void fail(Failure failure) throws IOException;
}
