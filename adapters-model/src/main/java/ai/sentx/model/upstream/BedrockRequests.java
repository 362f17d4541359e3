package ai.sentx.model.upstream;

import ai.sentx.domain.chat.ChatMessage;
import ai.sentx.domain.chat.ContentPart;
import ai.sentx.domain.files.FileFormat;
import ai.sentx.model.DocumentText;
import ai.sentx.port.ModelBackendException;
import ai.sentx.port.ModelRequest;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.document.Document;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamRequest;
import software.amazon.awssdk.services.bedrockruntime.model.DocumentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.DocumentFormat;
import software.amazon.awssdk.services.bedrockruntime.model.DocumentSource;
import software.amazon.awssdk.services.bedrockruntime.model.ImageBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ImageFormat;
import software.amazon.awssdk.services.bedrockruntime.model.ImageSource;
import software.amazon.awssdk.services.bedrockruntime.model.InferenceConfiguration;
import software.amazon.awssdk.services.bedrockruntime.model.Message;
import software.amazon.awssdk.services.bedrockruntime.model.SystemContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.Tool;
import software.amazon.awssdk.services.bedrockruntime.model.ToolChoice;
import software.amazon.awssdk.services.bedrockruntime.model.ToolConfiguration;
import software.amazon.awssdk.services.bedrockruntime.model.ToolInputSchema;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolSpecification;
import software.amazon.awssdk.services.bedrockruntime.model.ToolUseBlock;
import software.amazon.awssdk.services.bedrockruntime.model.VideoBlock;
import software.amazon.awssdk.services.bedrockruntime.model.VideoFormat;
import software.amazon.awssdk.services.bedrockruntime.model.VideoSource;

/**
 * A {@link ModelRequest} as a Bedrock {@code ConverseStream} request.
 *
 * <ul>
 *   <li>System and developer messages become the {@code system} blocks, in order: the platform's
 *       safety instructions stay first.</li>
 *   <li>User and assistant messages become {@code messages}; consecutive messages of one role are
 *       merged (Converse requires the roles to alternate); blank texts are left out (Converse refuses
 *       them). Images become image blocks with their bytes; an assistant's {@code tool_calls} become
 *       {@code toolUse} blocks; a {@code tool} message becomes a user {@code toolResult} block.</li>
 *   <li>The output budget, temperature, top_p and stop sequences go into {@code inferenceConfig};
 *       OpenAI {@code tools} and {@code tool_choice} into {@code toolConfig} ({@code none} sends no
 *       tools); the end user into {@code requestMetadata.end_user} (characters Bedrock does not
 *       allow there become {@code _}).</li>
 *   <li>Not sent, because Converse has no such field: {@code seed} and {@code response_format}.</li>
 * </ul>
 */
final class BedrockRequests {
    private BedrockRequests() {
    }

    /**
     * @throws ModelBackendException (REJECTED) for content Bedrock cannot take through this mapping,
     *                               or a {@code tools} / {@code tool_choice} it cannot read
     */
    static ConverseStreamRequest converseStream(ModelRequest request, String modelId, long budget, ObjectMapper json)
            throws ModelBackendException {
        List<SystemContentBlock> system = new ArrayList<>();
        List<Message> messages = new ArrayList<>();
        ConversationRole role = null;
        List<ContentBlock> blocks = new ArrayList<>();
        for (ChatMessage m : request.messages()) {
            if (m.isInstruction()) {
                String text = m.text();
                if (!text.isBlank()) system.add(SystemContentBlock.fromText(text));
                continue;
            }
            ConversationRole r = m.role().equals("assistant") ? ConversationRole.ASSISTANT : ConversationRole.USER;
            List<ContentBlock> content = blocks(m, json);
            if (content.isEmpty()) continue;
            if (r != role && !blocks.isEmpty()) {
                messages.add(Message.builder().role(role).content(blocks).build());
                blocks = new ArrayList<>();
            }
            role = r;
            blocks.addAll(content);
        }
        if (!blocks.isEmpty()) messages.add(Message.builder().role(role).content(blocks).build());

        InferenceConfiguration.Builder inference = InferenceConfiguration.builder()
                .maxTokens((int) Math.min(budget, Integer.MAX_VALUE));
        if (request.temperature() != null) inference.temperature(request.temperature().floatValue());
        if (request.topP() != null) inference.topP(request.topP().floatValue());
        if (!request.stop().isEmpty()) inference.stopSequences(request.stop());

        ConverseStreamRequest.Builder b = ConverseStreamRequest.builder()
                .modelId(modelId)
                .system(system)
                .messages(messages)
                .inferenceConfig(inference.build());
        ToolConfiguration tools = toolConfig(request.toolsJson(), request.toolChoiceJson(), json);
        if (tools != null) b.toolConfig(tools);
        if (request.endUser() != null) b.requestMetadata(Map.of("end_user", metadataValue(request.endUser())));
        return b.build();
    }

    private static List<ContentBlock> blocks(ChatMessage m, ObjectMapper json) throws ModelBackendException {
        List<ContentBlock> out = new ArrayList<>();
        if (m.role().equals("tool")) {
            out.add(ContentBlock.fromToolResult(ToolResultBlock.builder()
                    .toolUseId(m.toolCallId() == null ? "unknown" : m.toolCallId())
                    .content(ToolResultContentBlock.fromText(m.text().isEmpty() ? "(empty)" : m.text()))
                    .build()));
            return out;
        }
        for (ContentPart p : m.parts()) {
            switch (p) {
                case ContentPart.Text t -> {
                    if (!t.text().isBlank()) out.add(ContentBlock.fromText(t.text()));
                }
                case ContentPart.Image img -> out.add(ContentBlock.fromImage(ImageBlock.builder()
                        .format(imageFormat(img.mediaType()))
                        .source(ImageSource.fromBytes(SdkBytes.fromByteArray(img.bytes())))
                        .build()));
                case ContentPart.Document d -> {
                    if (d.nativeBytes() != null) {
                        out.add(ContentBlock.fromDocument(DocumentBlock.builder()
                                .format(documentFormat(d.format()))
                                .name(documentName(d.filename(), out.size()))
                                .source(DocumentSource.fromBytes(SdkBytes.fromByteArray(d.nativeBytes())))
                                .build()));
                    } else {
                        out.add(ContentBlock.fromText(DocumentText.of(d)));
                        for (ContentPart.Image page : d.pageImages()) {
                            out.add(ContentBlock.fromImage(ImageBlock.builder()
                                    .format(imageFormat(page.mediaType()))
                                    .source(ImageSource.fromBytes(SdkBytes.fromByteArray(page.bytes())))
                                    .build()));
                        }
                    }
                }
                case ContentPart.Video v -> out.add(ContentBlock.fromVideo(VideoBlock.builder()
                        .format(videoFormat(v.format()))
                        .source(VideoSource.fromBytes(SdkBytes.fromByteArray(v.bytes())))
                        .build()));
                default -> throw new ModelBackendException(ModelBackendException.Kind.REJECTED,
                        "This content cannot be sent to the model.");
            }
        }
        if (m.toolCallsJson() != null) out.addAll(toolUses(m.toolCallsJson(), json));
        return out;
    }

    /** The formats Converse reads as documents or video, with their Bedrock names. */
    static final Set<FileFormat> NATIVE_FORMATS = Set.copyOf(EnumSet.of(FileFormat.PDF, FileFormat.CSV,
            FileFormat.DOCX, FileFormat.XLSX, FileFormat.TXT, FileFormat.MD, FileFormat.MP4, FileFormat.WEBM,
            FileFormat.MOV));
    /** Converse's limit for one document's bytes (4.5 MB); larger documents go as extracted text. */
    static final long MAX_NATIVE_BYTES = 4_500_000L;

    private static DocumentFormat documentFormat(FileFormat format) throws ModelBackendException {
        return switch (format) {
            case PDF -> DocumentFormat.PDF;
            case CSV -> DocumentFormat.CSV;
            case DOCX -> DocumentFormat.DOCX;
            case XLSX -> DocumentFormat.XLSX;
            case TXT -> DocumentFormat.TXT;
            case MD -> DocumentFormat.MD;
            default -> throw new ModelBackendException(ModelBackendException.Kind.REJECTED,
                    "Files of type " + format.extension() + " cannot be sent to the model as documents.");
        };
    }

    private static VideoFormat videoFormat(FileFormat format) throws ModelBackendException {
        return switch (format) {
            case MP4 -> VideoFormat.MP4;
            case WEBM -> VideoFormat.WEBM;
            case MOV -> VideoFormat.MOV;
            default -> throw new ModelBackendException(ModelBackendException.Kind.REJECTED,
                    "Files of type " + format.extension() + " cannot be sent to the model as video.");
        };
    }

    /**
     * A document name Converse accepts (letters, digits, single spaces, hyphens, parentheses and
     * square brackets; unique within the message): the file name with everything else made a space.
     */
    static String documentName(String filename, int position) {
        String base = filename.replaceAll("\\.[A-Za-z0-9]{1,8}$", "")
                .replaceAll("[^A-Za-z0-9\\-()\\[\\] ]", " ").replaceAll(" +", " ").strip();
        if (base.isEmpty()) base = "document";
        if (base.length() > 180) base = base.substring(0, 180).strip();
        return base + " (" + (position + 1) + ")";
    }

    private static ImageFormat imageFormat(String mediaType) throws ModelBackendException {
        return switch (mediaType) {
            case "image/png" -> ImageFormat.PNG;
            case "image/jpeg" -> ImageFormat.JPEG;
            case "image/gif" -> ImageFormat.GIF;
            case "image/webp" -> ImageFormat.WEBP;
            default -> throw new ModelBackendException(ModelBackendException.Kind.REJECTED,
                    "Images of type " + mediaType + " cannot be sent to the model.");
        };
    }

    private static List<ContentBlock> toolUses(String toolCallsJson, ObjectMapper json) throws ModelBackendException {
        List<ContentBlock> out = new ArrayList<>();
        for (JsonNode call : read(toolCallsJson, json, "tool_calls")) {
            JsonNode function = call.path("function");
            String arguments = function.path("arguments").asText("{}");
            JsonNode input;
            try {
                input = arguments.isBlank() ? json.createObjectNode() : json.readTree(arguments);
            } catch (JacksonException e) {
                input = json.createObjectNode();
            }
            out.add(ContentBlock.fromToolUse(ToolUseBlock.builder()
                    .toolUseId(call.path("id").asText("unknown"))
                    .name(function.path("name").asText(""))
                    .input(document(input))
                    .build()));
        }
        return out;
    }

    private static ToolConfiguration toolConfig(String toolsJson, String toolChoiceJson, ObjectMapper json)
            throws ModelBackendException {
        if (toolsJson == null) return null;
        ToolChoice choice = null;
        if (toolChoiceJson != null) {
            JsonNode c = read(toolChoiceJson, json, "tool_choice");
            if (c.isTextual()) {
                switch (c.asText()) {
                    case "none" -> {
                        return null;
                    }
                    case "required" -> choice = ToolChoice.fromAny(a -> { });
                    default -> choice = ToolChoice.fromAuto(a -> { });
                }
            } else {
                String name = c.path("function").path("name").asText("");
                if (name.isEmpty()) throw rejected("tool_choice");
                choice = ToolChoice.fromTool(t -> t.name(name));
            }
        }
        List<Tool> tools = new ArrayList<>();
        for (JsonNode t : read(toolsJson, json, "tools")) {
            JsonNode function = t.path("function");
            String name = function.path("name").asText("");
            if (name.isEmpty()) throw rejected("tools");
            JsonNode parameters = function.path("parameters");
            ToolSpecification.Builder spec = ToolSpecification.builder()
                    .name(name)
                    .inputSchema(ToolInputSchema.fromJson(document(parameters.isObject() ? parameters
                            : json.createObjectNode().put("type", "object"))));
            if (function.path("description").isTextual()) spec.description(function.get("description").asText());
            tools.add(Tool.fromToolSpec(spec.build()));
        }
        if (tools.isEmpty()) return null;
        ToolConfiguration.Builder config = ToolConfiguration.builder().tools(tools);
        if (choice != null) config.toolChoice(choice);
        return config.build();
    }

    /** JSON (as Jackson reads it) as an SDK document. */
    static Document document(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) return Document.fromNull();
        if (n.isObject()) {
            Map<String, Document> map = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : n.properties()) map.put(e.getKey(), document(e.getValue()));
            return Document.fromMap(map);
        }
        if (n.isArray()) {
            List<Document> list = new ArrayList<>(n.size());
            for (JsonNode e : n) list.add(document(e));
            return Document.fromList(list);
        }
        if (n.isBoolean()) return Document.fromBoolean(n.asBoolean());
        if (n.isIntegralNumber()) return Document.fromNumber(n.bigIntegerValue());
        if (n.isNumber()) return Document.fromNumber(n.decimalValue());
        return Document.fromString(n.asText());
    }

    /** Bedrock allows {@code [a-zA-Z0-9\s:_@$#=/+,.-]}, 1 to 256 characters, in request metadata. */
    static String metadataValue(String s) {
        StringBuilder sb = new StringBuilder(Math.min(s.length(), 256));
        for (int i = 0; i < s.length() && sb.length() < 256; i++) {
            char c = s.charAt(i);
            boolean allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || " :_@$#=/+,.-".indexOf(c) >= 0;
            sb.append(allowed ? c : '_');
        }
        return sb.isEmpty() ? "_" : sb.toString();
    }

    private static JsonNode read(String raw, ObjectMapper json, String what) throws ModelBackendException {
        try {
            return json.readTree(raw);
        } catch (JacksonException e) {
            throw rejected(what);
        }
    }

    private static ModelBackendException rejected(String what) {
        return new ModelBackendException(ModelBackendException.Kind.REJECTED,
                "The model cannot use this request's " + what + ".");
    }
}
