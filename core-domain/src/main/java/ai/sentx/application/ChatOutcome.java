package ai.sentx.application;

import ai.sentx.domain.Failure;
import ai.sentx.domain.chat.FinishReason;
import ai.sentx.domain.chat.TokenUsage;

/** How a chat request ended. */
public sealed interface ChatOutcome {
    /**
     * Refused before anything was sent to the observer, nothing charged: by a rule before the model
     * was called, or by the backend failing to start the call.
     */
    record Rejected(Failure failure) implements ChatOutcome {
    }

    /** The reply was delivered and charged. */
    record Completed(FinishReason reason, TokenUsage usage) implements ChatOutcome {
    }

    /** The client went away; what was generated until then was charged. */
    record ClientGone(TokenUsage usage) implements ChatOutcome {
    }

    /** The backend failed after the call began; reported through the observer, not charged. */
    record Failed(Failure failure) implements ChatOutcome {
    }
}
