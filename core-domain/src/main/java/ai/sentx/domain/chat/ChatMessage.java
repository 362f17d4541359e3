package ai.sentx.domain.chat;

import java.util.List;
import java.util.Objects;

/**
 * One message of the conversation.
 *
 * @param role       system, developer, user, assistant, tool or function
 * @param parts      the content; empty when the message had {@code content: null}
 * @param name       optional participant name, else {@code null}
 * @param toolCallId for role {@code tool}, else {@code null}
 * @param toolCallsJson an assistant message's {@code tool_calls} as raw JSON, else {@code null}
 */
public record ChatMessage(String role, List<ContentPart> parts, String name, String toolCallId, String toolCallsJson) {
    public ChatMessage {
        Objects.requireNonNull(role, "role");
        parts = List.copyOf(parts);
    }

    public static ChatMessage text(String role, String text) {
        return new ChatMessage(role, List.of(new ContentPart.Text(text)), null, null, null);
    }

    public boolean isInstruction() {
        return role.equals("system") || role.equals("developer");
    }

    /** The concatenated text parts. */
    public String text() {
        StringBuilder sb = new StringBuilder();
        for (ContentPart p : parts) {
            if (p instanceof ContentPart.Text t) sb.append(t.text());
        }
        return sb.toString();
    }
}
