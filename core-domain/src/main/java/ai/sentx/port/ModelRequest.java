package ai.sentx.port;

import ai.sentx.domain.chat.ChatMessage;
import java.util.List;
import java.util.Objects;

/**
 * What a model backend is asked to do. Messages are validated: images are decoded
 * ({@code ContentPart.Image}), no URL remains, and the platform's safety instructions are
 * already the first message.
 *
 * @param maxOutputTokens the output budget, already lowered to what the balance pays for
 * @param endUser         the end-user id to pass on, or {@code null}
 */
public record ModelRequest(List<ChatMessage> messages, long maxOutputTokens, List<String> stop,
                           Double temperature, Double topP, Long seed, String endUser, String toolsJson,
                           String toolChoiceJson, String responseFormatJson) {
    public ModelRequest {
        messages = List.copyOf(messages);
        stop = stop == null ? List.of() : List.copyOf(stop);
        if (maxOutputTokens < 0) throw new IllegalArgumentException("maxOutputTokens < 0");
        Objects.requireNonNull(messages, "messages");
    }

    public ModelRequest withMaxOutputTokens(long tokens) {
        return new ModelRequest(messages, tokens, stop, temperature, topP, seed, endUser, toolsJson, toolChoiceJson,
                responseFormatJson);
    }
}
