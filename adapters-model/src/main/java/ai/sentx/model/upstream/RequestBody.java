package ai.sentx.model.upstream;

import ai.sentx.domain.chat.ChatMessage;
import ai.sentx.domain.chat.ContentPart;
import ai.sentx.model.DocumentText;
import ai.sentx.port.ModelBackendException;
import ai.sentx.port.ModelRequest;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.List;

/**
 * Writes the upstream {@code POST /chat/completions} body for a {@link ModelRequest}: always
 * streamed with {@code stream_options.include_usage}, the configured model name, messages with
 * their parts (images as base64 data URLs), and the sampling, tool and format fields passed
 * through. Role {@code developer} is sent as {@code system}, which every server understands and
 * which OpenAI treats alike.
 */
final class RequestBody {
    private RequestBody() {
    }

    /**
     * @param budget the output budget to send (at least 1)
     * @throws ModelBackendException (REJECTED) for content no OpenAI-compatible server can take (a
     *                               file reference or an unsupported part that validation let through)
     */
    static byte[] write(JsonFactory json, ModelRequest request, UpstreamConfig config, long budget)
            throws ModelBackendException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = json.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("model", config.model());
            g.writeArrayFieldStart("messages");
            for (ChatMessage m : request.messages()) message(g, m);
            g.writeEndArray();
            g.writeBooleanField("stream", true);
            g.writeObjectFieldStart("stream_options");
            g.writeBooleanField("include_usage", true);
            g.writeEndObject();
            switch (config.tokenLimitField()) {
                case MAX_COMPLETION_TOKENS -> g.writeNumberField("max_completion_tokens", budget);
                case MAX_TOKENS -> g.writeNumberField("max_tokens", budget);
                case BOTH -> {
                    g.writeNumberField("max_completion_tokens", budget);
                    g.writeNumberField("max_tokens", budget);
                }
            }
            if (!request.stop().isEmpty()) {
                g.writeArrayFieldStart("stop");
                for (String s : request.stop()) g.writeString(s);
                g.writeEndArray();
            }
            if (request.temperature() != null) g.writeNumberField("temperature", request.temperature());
            if (request.topP() != null) g.writeNumberField("top_p", request.topP());
            if (request.seed() != null) g.writeNumberField("seed", request.seed());
            if (request.endUser() != null) g.writeStringField("user", request.endUser());
            raw(g, "tools", request.toolsJson());
            raw(g, "tool_choice", request.toolChoiceJson());
            raw(g, "response_format", request.responseFormatJson());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory failed", e);
        } catch (UnsupportedPart e) {
            throw new ModelBackendException(ModelBackendException.Kind.REJECTED, e.getMessage());
        }
        return out.toByteArray();
    }

    private static void message(JsonGenerator g, ChatMessage m) throws IOException {
        g.writeStartObject();
        g.writeStringField("role", m.role().equals("developer") ? "system" : m.role());
        List<ContentPart> parts = m.parts();
        if (parts.isEmpty()) {
            if (m.role().equals("assistant")) g.writeNullField("content");
            else g.writeStringField("content", "");
        } else if (parts.size() == 1 && parts.getFirst() instanceof ContentPart.Text t) {
            g.writeStringField("content", t.text());
        } else {
            g.writeArrayFieldStart("content");
            for (ContentPart p : parts) part(g, p);
            g.writeEndArray();
        }
        if (m.name() != null) g.writeStringField("name", m.name());
        if (m.toolCallId() != null) g.writeStringField("tool_call_id", m.toolCallId());
        raw(g, "tool_calls", m.toolCallsJson());
        g.writeEndObject();
    }

    private static void part(JsonGenerator g, ContentPart p) throws IOException {
        g.writeStartObject();
        part(g, p, true);
    }

    /** Writes the fields of {@code p} into the open object; closes it when {@code close}, else leaves it open. */
    private static void part(JsonGenerator g, ContentPart p, boolean close) throws IOException {
        switch (p) {
            case ContentPart.Text t -> {
                g.writeStringField("type", "text");
                g.writeStringField("text", t.text());
            }
            case ContentPart.Image img -> {
                g.writeStringField("type", "image_url");
                g.writeObjectFieldStart("image_url");
                g.writeStringField("url",
                        "data:" + img.mediaType() + ";base64," + Base64.getEncoder().encodeToString(img.bytes()));
                if (img.detail() != null) g.writeStringField("detail", img.detail());
                g.writeEndObject();
            }
            case ContentPart.ImageUrl u -> {
                // Validation decodes every image; a URL here is a data: URL that was let through as is.
                if (!u.url().regionMatches(true, 0, "data:", 0, 5)) {
                    throw new UnsupportedPart("Only data: URLs can be sent to the model.");
                }
                g.writeStringField("type", "image_url");
                g.writeObjectFieldStart("image_url");
                g.writeStringField("url", u.url());
                if (u.detail() != null) g.writeStringField("detail", u.detail());
                g.writeEndObject();
            }
            case ContentPart.Document d -> {
                g.writeStringField("type", "text");
                g.writeStringField("text", DocumentText.of(d));
                for (ContentPart.Image page : d.pageImages()) {
                    g.writeEndObject();
                    g.writeStartObject();
                    part(g, page, false);
                }
            }
            case ContentPart.Video v -> throw new UnsupportedPart("Video cannot be sent to this model.");
            case ContentPart.FileRef f -> throw new UnsupportedPart("File references cannot be sent to this model.");
            case ContentPart.FileData f -> throw new UnsupportedPart("Inline files cannot be sent to this model.");
            case ContentPart.Unsupported u ->
                    throw new UnsupportedPart("Content of type '" + u.type() + "' is not supported by this model.");
        }
        if (close) g.writeEndObject();
    }

    private static void raw(JsonGenerator g, String field, String json) throws IOException {
        if (json == null) return;
        g.writeFieldName(field);
        g.writeRawValue(json);
    }

    /** A part that cannot be written; turned into a REJECTED failure. */
    private static final class UnsupportedPart extends RuntimeException {
        UnsupportedPart(String message) {
            super(message, null, false, false);
        }
    }
}
