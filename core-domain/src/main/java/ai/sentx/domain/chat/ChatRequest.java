package ai.sentx.domain.chat;

import java.util.List;
import java.util.Objects;

/**
 * A chat completion request after JSON parsing, before domain validation.
 *
 * @param maxOutputTokens {@code max_completion_tokens}, else {@code max_tokens}, else {@code null}
 * @param stop            stop sequences (0..4)
 * @param includeUsage    {@code stream_options.include_usage}
 * @param user            the body's {@code user}, else {@code null}
 * @param userName        the body's {@code user_name}, else {@code null}
 * @param toolsJson       the {@code tools} array as raw JSON, passed through to backends that take it
 */
public record ChatRequest(String model, List<ChatMessage> messages, boolean stream, boolean includeUsage,
                          Long maxOutputTokens, List<String> stop, Double temperature, Double topP, Long seed,
                          String user, String userName, String toolsJson, String toolChoiceJson,
                          String responseFormatJson) {
    public ChatRequest {
        Objects.requireNonNull(model, "model");
        messages = List.copyOf(messages);
        stop = stop == null ? List.of() : List.copyOf(stop);
    }
}
