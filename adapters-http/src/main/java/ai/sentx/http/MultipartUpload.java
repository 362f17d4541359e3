package ai.sentx.http;

import ai.sentx.domain.Failure;
import ai.sentx.domain.FailureException;
import ai.sentx.domain.Problem;
import ai.sentx.domain.files.FileRules;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a {@code multipart/form-data} upload (RFC 7578) as a stream: the {@code file} part goes
 * straight to a temporary file while its SHA-256 is computed, so memory stays flat whatever the
 * size; the small fields are kept in memory. Accepts what the official SDKs send (a file part
 * without {@code filename}, a chunked body, {@code filename*}); anything malformed is a 400 and a
 * file over 25 MB a 413, and the temporary file is deleted on every failure.
 */
final class MultipartUpload implements AutoCloseable {
    /** Room for the other fields and the part headers around a 25 MB file. */
    static final long MAX_BODY_BYTES = FileRules.MAX_FILE_BYTES + 1024 * 1024;
    private static final int MAX_FIELD_BYTES = 4 * 1024;
    private static final int MAX_HEADER_BYTES = 16 * 1024;
    private static final int MAX_PARTS = 32;
    private static final int BUFFER = 64 * 1024;

    private final String purpose;
    private final String filename;
    private final Path file;
    private final long size;
    private final String sha256;

    private MultipartUpload(String purpose, String filename, Path file, long size, String sha256) {
        this.purpose = purpose;
        this.filename = filename;
        this.file = file;
        this.size = size;
        this.sha256 = sha256;
    }

    /** The {@code purpose} field. */
    String purpose() {
        return purpose;
    }

    /** The file part's file name, or {@code null} when it had none. */
    String filename() {
        return filename;
    }

    /** Where the file part's bytes are. */
    Path file() {
        return file;
    }

    long size() {
        return size;
    }

    /** Lower-case hex SHA-256 of the file part. */
    String sha256() {
        return sha256;
    }

    /** Deletes the temporary file. */
    @Override
    public void close() {
        deleteQuietly(file);
    }

    /**
     * Reads the whole body of {@code req}.
     *
     * @throws FailureException 400 for a body that is not a well-formed upload, 413 for a file over 25 MB
     * @throws IOException      when the client is gone
     */
    static MultipartUpload read(HttpRequest req) throws IOException {
        String boundary = boundary(req.header("content-type"));
        if (req.contentLength() > MAX_BODY_BYTES) throw tooLarge();
        Reader reader = new Reader(req.body(), boundary);
        Path file = null;
        try {
            reader.skipPreamble();
            String purpose = null;
            String filename = null;
            long size = -1;
            String sha256 = null;
            int parts = 0;
            boolean last = false;
            while (!last) {
                if (++parts > MAX_PARTS) throw malformed("The upload has too many parts.");
                Map<String, String> headers = reader.headers();
                Disposition d = Disposition.parse(headers.get("content-disposition"));
                switch (d.name()) {
                    case "file" -> {
                        if (file != null) throw malformed("Send exactly one file per upload.");
                        file = Files.createTempFile("sentx-upload-", ".part");
                        MessageDigest digest = newDigest();
                        try (OutputStream out = Files.newOutputStream(file)) {
                            size = reader.copyPart(new DigestingStream(out, digest), FileRules.MAX_FILE_BYTES,
                                    MultipartUpload::tooLarge);
                        }
                        sha256 = HexFormat.of().formatHex(digest.digest());
                        filename = d.filename();
                    }
                    case "purpose" -> purpose = field(reader, "purpose");
                    default -> reader.copyPart(OutputStream.nullOutputStream(), MAX_FIELD_BYTES,
                            () -> malformed("The field '" + d.name() + "' is too long."));
                }
                last = reader.afterDelimiter();
            }
            if (file == null) {
                throw Failure.of(Problem.MISSING_REQUIRED_PARAMETER, "Missing the 'file' part.", "file").exception();
            }
            if (purpose == null || purpose.isBlank()) {
                throw Failure.of(Problem.MISSING_REQUIRED_PARAMETER, "Missing the 'purpose' field.", "purpose")
                        .exception();
            }
            MultipartUpload upload = new MultipartUpload(purpose.strip(), filename, file, size, sha256);
            file = null;
            return upload;
        } finally {
            deleteQuietly(file);
        }
    }

    private static String field(Reader reader, String name) throws IOException {
        ByteArrayOutputStream value = new ByteArrayOutputStream();
        reader.copyPart(value, MAX_FIELD_BYTES, () -> malformed("The field '" + name + "' is too long."));
        return value.toString(StandardCharsets.UTF_8);
    }

    /** The boundary of a {@code multipart/form-data} content type. */
    static String boundary(String contentType) {
        if (contentType == null || !contentType.strip().toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            throw Failure.of(Problem.INVALID_PARAMETER,
                    "Upload files as multipart/form-data with the fields 'file' and 'purpose'.").exception();
        }
        for (String param : contentType.split(";")) {
            String p = param.strip();
            if (p.regionMatches(true, 0, "boundary=", 0, 9)) {
                String b = p.substring(9).strip();
                if (b.length() >= 2 && b.startsWith("\"") && b.endsWith("\"")) b = b.substring(1, b.length() - 1);
                if (b.isEmpty() || b.length() > 200 || !b.chars().allMatch(c -> c > 0x20 && c < 0x7F || c == ' ')) {
                    throw malformed("The multipart boundary is not valid.");
                }
                return b;
            }
        }
        throw malformed("The multipart content type has no boundary.");
    }

    static FailureException malformed(String message) {
        return Failure.of(Problem.INVALID_PARAMETER, "Malformed multipart body: " + message).exception();
    }

    static FailureException tooLarge() {
        return Failure.of(Problem.FILE_TOO_LARGE, "Files may be at most 25 MB (26,214,400 bytes).", "file")
                .exception();
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static void deleteQuietly(Path p) {
        if (p == null) return;
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // Left for the temp directory's cleanup.
        }
    }

    /** {@code Content-Disposition: form-data; name="..."; filename="..."} of one part. */
    record Disposition(String name, String filename) {
        static Disposition parse(String value) {
            if (value == null) throw malformed("A part has no Content-Disposition header.");
            Map<String, String> params = new LinkedHashMap<>();
            int i = value.indexOf(';');
            if (i < 0 || !value.substring(0, i).strip().equalsIgnoreCase("form-data")) {
                throw malformed("A part is not form-data.");
            }
            while (i < value.length()) {
                i++;
                while (i < value.length() && (value.charAt(i) == ' ' || value.charAt(i) == '\t')) i++;
                int eq = value.indexOf('=', i);
                if (eq < 0) break;
                String key = value.substring(i, eq).strip().toLowerCase(Locale.ROOT);
                i = eq + 1;
                StringBuilder v = new StringBuilder();
                if (i < value.length() && value.charAt(i) == '"') {
                    i++;
                    while (i < value.length() && value.charAt(i) != '"') {
                        char c = value.charAt(i++);
                        // Backslash escapes a quote or a backslash; browsers send Windows paths unescaped.
                        if (c == '\\' && i < value.length() && (value.charAt(i) == '"' || value.charAt(i) == '\\')) {
                            c = value.charAt(i++);
                        }
                        v.append(c);
                    }
                    if (i >= value.length()) throw malformed("Unterminated quoted parameter.");
                    i++;
                    while (i < value.length() && value.charAt(i) != ';') i++;
                } else {
                    int end = value.indexOf(';', i);
                    if (end < 0) end = value.length();
                    v.append(value, i, end);
                    i = end;
                }
                params.putIfAbsent(key, v.toString().strip());
            }
            String name = params.get("name");
            if (name == null) throw malformed("A part has no name.");
            String filename = params.get("filename");
            String extended = params.get("filename*");
            if (extended != null) {
                int quote = extended.indexOf("''");
                if (quote > 0 && extended.substring(0, quote).equalsIgnoreCase("utf-8")) {
                    try {
                        filename = URLDecoder.decode(extended.substring(quote + 2).replace("+", "%2B"),
                                StandardCharsets.UTF_8);
                    } catch (IllegalArgumentException e) {
                        throw malformed("The filename* parameter is not valid percent-encoding.");
                    }
                }
            }
            return new Disposition(name, filename);
        }
    }

    /** Writes through while feeding a digest. */
    private static final class DigestingStream extends OutputStream {
        private final OutputStream out;
        private final MessageDigest digest;

        DigestingStream(OutputStream out, MessageDigest digest) {
            this.out = out;
            this.digest = digest;
        }

        @Override
        public void write(int b) throws IOException {
            digest.update((byte) b);
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            digest.update(b, off, len);
            out.write(b, off, len);
        }
    }

    /** Failure to raise when a part is over its limit. */
    @FunctionalInterface
    private interface Overflow {
        FailureException get();
    }

    /**
     * The body as delimiter-separated parts. A CRLF is put in front of the body so the first
     * boundary line matches the same {@code CRLF--boundary} delimiter as all the others.
     */
    private static final class Reader {
        private final InputStream in;
        private final byte[] delimiter;
        private final byte[] buf = new byte[BUFFER];
        private int pos;
        private int lim;

        Reader(InputStream in, String boundary) {
            this.in = in;
            this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
            buf[0] = '\r';
            buf[1] = '\n';
            lim = 2;
        }

        void skipPreamble() throws IOException {
            copyPart(OutputStream.nullOutputStream(), MAX_HEADER_BYTES, () -> malformed("No boundary found."));
            if (afterDelimiter()) throw malformed("The body has no parts.");
        }

        /**
         * After a delimiter: {@code --} ends the body (true), CRLF starts a part (false). Transport
         * padding (spaces, tabs) before the CRLF is allowed.
         */
        boolean afterDelimiter() throws IOException {
            if (!ensure(2)) throw malformed("The body ends inside a boundary line.");
            if (buf[pos] == '-' && buf[pos + 1] == '-') {
                pos += 2;
                return true;
            }
            int padding = 0;
            while (true) {
                if (!ensure(2)) throw malformed("The body ends inside a boundary line.");
                if (buf[pos] == '\r' && buf[pos + 1] == '\n') {
                    pos += 2;
                    return false;
                }
                if ((buf[pos] == ' ' || buf[pos] == '\t') && ++padding < 256) {
                    pos++;
                } else {
                    throw malformed("A boundary line has trailing garbage.");
                }
            }
        }

        /** The part's header lines up to the empty line, by lower-case name (UTF-8 values). */
        Map<String, String> headers() throws IOException {
            Map<String, String> headers = new LinkedHashMap<>();
            int total = 0;
            while (true) {
                ByteArrayOutputStream line = new ByteArrayOutputStream();
                while (true) {
                    if (!ensure(1)) throw malformed("The body ends inside the part headers.");
                    byte b = buf[pos++];
                    if (++total > MAX_HEADER_BYTES) throw malformed("The part headers are too long.");
                    if (b == '\n') break;
                    line.write(b);
                }
                String text = line.toString(StandardCharsets.UTF_8);
                if (text.endsWith("\r")) text = text.substring(0, text.length() - 1);
                if (text.isEmpty()) return headers;
                int colon = text.indexOf(':');
                if (colon <= 0) throw malformed("A part header has no name.");
                headers.putIfAbsent(text.substring(0, colon).strip().toLowerCase(Locale.ROOT),
                        text.substring(colon + 1).strip());
            }
        }

        /**
         * Copies the bytes up to the next delimiter to {@code out} and consumes the delimiter.
         *
         * @return the number of bytes copied
         */
        long copyPart(OutputStream out, long max, Overflow overflow) throws IOException {
            long total = 0;
            while (true) {
                int found = indexOfDelimiter();
                int end = found >= 0 ? found : Math.max(pos, lim - (delimiter.length - 1));
                int n = end - pos;
                if (n > 0) {
                    total += n;
                    if (total > max) throw overflow.get();
                    out.write(buf, pos, n);
                    pos = end;
                }
                if (found >= 0) {
                    pos += delimiter.length;
                    return total;
                }
                if (!more()) throw malformed("The body ends before the closing boundary.");
            }
        }

        private int indexOfDelimiter() {
            byte first = delimiter[0];
            int last = lim - delimiter.length;
            outer:
            for (int i = pos; i <= last; i++) {
                if (buf[i] != first) continue;
                for (int j = 1; j < delimiter.length; j++) {
                    if (buf[i + j] != delimiter[j]) continue outer;
                }
                return i;
            }
            return -1;
        }

        private boolean ensure(int n) throws IOException {
            while (lim - pos < n) {
                if (!more()) return false;
            }
            return true;
        }

        /** Reads more bytes, moving what is left to the front first; false at the end of the body. */
        private boolean more() throws IOException {
            if (pos > 0) {
                System.arraycopy(buf, pos, buf, 0, lim - pos);
                lim -= pos;
                pos = 0;
            }
            int n = in.read(buf, lim, buf.length - lim);
            if (n < 0) return false;
            lim += n;
            return true;
        }
    }
}
