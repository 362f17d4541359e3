package ai.sentx.domain.chat;

import ai.sentx.domain.Failure;
import ai.sentx.domain.Limits;
import ai.sentx.domain.Problem;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The content rules of a chat request (CONTRACT §4, §7, §8) and the platform's message order:
 * the safety instructions first, then the customer's messages as sent.
 */
public final class ChatValidation {
    private static final Set<String> TEXT_TYPES = Set.of("text/plain", "text/csv", "text/markdown", "text/x-markdown");

    private ChatValidation() {
    }

    /**
     * Validates the messages and returns what the model receives: {@code safety} as the first
     * system message, then the customer's messages with images decoded.
     *
     * @throws ai.sentx.domain.FailureException for the first rule broken
     */
    public static List<ChatMessage> prepare(List<ChatMessage> messages, String safety) {
        if (messages.isEmpty()) {
            throw Failure.of(Problem.INVALID_PARAMETER, "messages must contain at least one message.", "messages")
                    .exception();
        }
        long instructionChars = 0;
        for (ChatMessage m : messages) {
            if (m.isInstruction()) {
                String text = m.text();
                instructionChars += text.codePointCount(0, text.length());
            }
        }
        if (instructionChars > Limits.SYSTEM_TEXT_MAX_CODE_POINTS) {
            throw Failure.of(Problem.SYSTEM_MESSAGE_TOO_LONG,
                    "The system and developer messages together may have at most 2,000 characters; these have "
                            + instructionChars + ".", "messages").exception();
        }
        List<ChatMessage> out = new ArrayList<>(messages.size() + 1);
        if (safety != null && !safety.isBlank()) out.add(ChatMessage.text("system", safety));
        for (int i = 0; i < messages.size(); i++) {
            ChatMessage m = messages.get(i);
            List<ContentPart> parts = new ArrayList<>(m.parts().size());
            for (int j = 0; j < m.parts().size(); j++) {
                ContentPart part = m.parts().get(j);
                // Text needs no work and no parameter name (built for the other parts only).
                parts.add(part instanceof ContentPart.Text ? part : resolve(part, "messages[" + i + "].content[" + j + "]"));
            }
            out.add(new ChatMessage(m.role(), parts, m.name(), m.toolCallId(), m.toolCallsJson()));
        }
        return out;
    }

    private static ContentPart resolve(ContentPart part, String param) {
        return switch (part) {
            case ContentPart.Text t -> t;
            case ContentPart.Image img -> img;
            case ContentPart.ImageUrl u -> DataUrls.decodeImage(u.url(), u.detail(), param + ".image_url.url");
            // Files are resolved against the account's catalogue after validation (ResolveAttachments).
            case ContentPart.FileRef f -> f;
            case ContentPart.Document d -> d;
            case ContentPart.Video v -> v;
            case ContentPart.FileData d -> inlineFile(d, param + ".file.file_data");
            case ContentPart.Unsupported u -> throw Failure.of(Problem.UNSUPPORTED_CONTENT,
                    "Content of type '" + u.type() + "' is not supported by this model.", param + ".type").exception();
        };
    }

    private static ContentPart inlineFile(ContentPart.FileData d, String param) {
        DataUrls.DataUrl url = DataUrls.parse(d.data(), param);
        if (url.mediaType().startsWith("image/")) return DataUrls.decodeImage(d.data(), param);
        if (!url.base64()) {
            throw Failure.of(Problem.INVALID_FILE_FORMAT, "Inline file_data must be a base64 data URL.", param)
                    .exception();
        }
        // Other documents (pdf, docx, xlsx, video) are judged from their bytes by ResolveAttachments.
        if (!TEXT_TYPES.contains(url.mediaType())) return d;
        try {
            byte[] bytes = DataUrls.decodeBase64(url.payload());
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
            String name = d.filename() == null ? "attachment" : d.filename();
            return new ContentPart.Text("[file " + name + "]\n" + text);
        } catch (IllegalArgumentException | CharacterCodingException e) {
            throw Failure.of(Problem.INVALID_FILE_FORMAT,
                    "The inline file is not valid base64 of UTF-8 text.", param).exception();
        }
    }
}
