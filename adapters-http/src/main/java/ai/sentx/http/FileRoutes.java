package ai.sentx.http;

import ai.sentx.application.ApiPrincipal;
import ai.sentx.application.DeleteFile;
import ai.sentx.application.ListFiles;
import ai.sentx.application.ReadFileContent;
import ai.sentx.application.ShowFile;
import ai.sentx.application.UploadFile;
import ai.sentx.domain.files.FilePage;
import ai.sentx.domain.files.FileQuery;
import ai.sentx.domain.files.StoredFile;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The Files API (CONTRACT §8, OPENAI-WIRE "Files"): upload, list, retrieve, content, delete. */
final class FileRoutes {
    static final String FILES = "/v1/files";
    private static final String PREFIX = FILES + "/";
    private static final String CONTENT = "/content";
    /** OpenAI's default (and largest) page of {@code GET /v1/files}. */
    private static final int MAX_PAGE = 10_000;
    /** The purposes OpenAI's Files API knows. */
    static final Set<String> PURPOSES = Set.of("assistants", "batch", "fine-tune", "vision", "user_data", "evals");
    private static final int STREAM_CHUNK = 64 * 1024;
    private static final System.Logger LOG = System.getLogger(FileRoutes.class.getName());

    private final UploadFile upload;
    private final ListFiles list;
    private final ShowFile show;
    private final ReadFileContent content;
    private final DeleteFile delete;
    private final ObjectMapper json;

    FileRoutes(UploadFile upload, ListFiles list, ShowFile show, ReadFileContent content, DeleteFile delete,
               ObjectMapper json) {
        this.upload = upload;
        this.list = list;
        this.show = show;
        this.content = content;
        this.delete = delete;
        this.json = json;
    }

    /** The methods {@code path} allows, or {@code null} when it is not a files route. */
    static String allowed(String path) {
        if (path.equals(FILES)) return "GET, POST";
        if (!path.startsWith(PREFIX)) return null;
        String rest = path.substring(PREFIX.length());
        if (rest.isEmpty()) return null;
        int slash = rest.indexOf('/');
        if (slash < 0) return "GET, DELETE";
        return rest.substring(slash).equals(CONTENT) && slash > 0 ? "GET" : null;
    }

    void handle(HttpRequest req, ApiPrincipal who, Map<String, List<String>> headers, ResponseSink sink)
            throws IOException {
        String path = req.path();
        if (path.equals(FILES)) {
            if (req.method().equals("POST")) {
                upload(req, who, headers, sink);
            } else {
                list(req, who, headers, sink);
            }
            return;
        }
        String rest = path.substring(PREFIX.length());
        int slash = rest.indexOf('/');
        String id = QueryString.decode(slash < 0 ? rest : rest.substring(0, slash), false, "file_id");
        if (slash >= 0) {
            ReadFileContent.Content c = content.read(who.accountId(), id);
            try (InputStream bytes = c.bytes()) {
                Responses.put(headers, "content-type", c.file().format().mediaType());
                Responses.put(headers, "content-disposition", "attachment; filename=\"" + asciiName(c.file()) + "\"");
                sink.start(200, headers, c.file().bytes());
                byte[] chunk = new byte[STREAM_CHUNK];
                long sent = 0;
                while (true) {
                    int n;
                    try {
                        n = bytes.readNBytes(chunk, 0, chunk.length);
                    } catch (IOException | RuntimeException e) {
                        // The stored bytes broke (a checksum mismatch, a reset): the client must not
                        // take the part it got for the whole file.
                        LOG.log(System.Logger.Level.WARNING, "download of " + c.file().id() + " broke after " + sent
                                + " bytes: " + e.getClass().getSimpleName());
                        sink.abort();
                        return;
                    }
                    if (n <= 0) break;
                    sink.write(n == chunk.length ? chunk : java.util.Arrays.copyOf(chunk, n));
                    sent += n;
                }
                if (sent != c.file().bytes()) {
                    LOG.log(System.Logger.Level.WARNING, "download of " + c.file().id() + " ended after " + sent
                            + " of " + c.file().bytes() + " bytes");
                    sink.abort();
                    return;
                }
                sink.close();
            }
        } else if (req.method().equals("DELETE")) {
            StoredFile removed = delete.delete(who.accountId(), id);
            ObjectNode body = json.createObjectNode();
            body.put("id", removed.id());
            body.put("object", "file");
            body.put("deleted", true);
            Responses.sendJson(sink, json, 200, headers, body);
        } else {
            Responses.sendJson(sink, json, 200, headers, fileObject(show.show(who.accountId(), id)));
        }
    }

    private void upload(HttpRequest req, ApiPrincipal who, Map<String, List<String>> headers, ResponseSink sink)
            throws IOException {
        try (MultipartUpload form = MultipartUpload.read(req)) {
            if (!PURPOSES.contains(form.purpose())) {
                throw ChatRequestParser.invalid("purpose", "purpose must be one of "
                        + String.join(", ", PURPOSES.stream().sorted().toList()) + ".");
            }
            StoredFile file = upload.upload(who.accountId(),
                    new UploadFile.Upload(form.purpose(), form.filename(), form.file(), form.size(), form.sha256()));
            Responses.sendJson(sink, json, 200, headers, fileObject(file));
        }
    }

    private void list(HttpRequest req, ApiPrincipal who, Map<String, List<String>> headers, ResponseSink sink)
            throws IOException {
        Map<String, String> q = QueryString.parse(req.rawQuery());
        int limit = MAX_PAGE;
        if (q.containsKey("limit")) {
            try {
                limit = Integer.parseInt(q.get("limit"));
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > MAX_PAGE) throw ChatRequestParser.invalid("limit", "limit must be 1..10000.");
        }
        String order = q.getOrDefault("order", "desc");
        if (!order.equals("asc") && !order.equals("desc")) {
            throw ChatRequestParser.invalid("order", "order must be asc or desc.");
        }
        String after = q.get("after");
        String purpose = q.get("purpose");
        FilePage page = list.list(new FileQuery(who.accountId(), purpose == null || purpose.isEmpty() ? null : purpose,
                order.equals("desc"), after == null || after.isEmpty() ? null : after, limit));
        ObjectNode body = json.createObjectNode();
        body.put("object", "list");
        ArrayNode data = body.putArray("data");
        for (StoredFile f : page.data()) data.add(fileObject(f));
        if (page.data().isEmpty()) {
            body.putNull("first_id");
            body.putNull("last_id");
        } else {
            body.put("first_id", page.data().getFirst().id());
            body.put("last_id", page.data().getLast().id());
        }
        body.put("has_more", page.hasMore());
        Responses.sendJson(sink, json, 200, headers, body);
    }

    private ObjectNode fileObject(StoredFile f) {
        ObjectNode o = json.createObjectNode();
        o.put("id", f.id());
        o.put("object", "file");
        o.put("bytes", f.bytes());
        o.put("created_at", f.createdAt().getEpochSecond());
        o.put("expires_at", f.expiresAt().getEpochSecond());
        o.put("filename", f.filename());
        o.put("purpose", f.purpose());
        o.put("status", "processed");
        o.putNull("status_details");
        return o;
    }

    /** The file name for a download header: printable ASCII without quotes or backslashes. */
    private static String asciiName(StoredFile f) {
        StringBuilder sb = new StringBuilder();
        for (char c : f.filename().toCharArray()) sb.append(c >= 0x20 && c < 0x7F && c != '"' && c != '\\' ? c : '_');
        return sb.toString();
    }
}
