package ai.sentx.content;

import ai.sentx.domain.files.FileFormat;
import ai.sentx.port.FormatDetector;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.mime.MediaType;
import org.apache.tika.mime.MediaTypeRegistry;
import org.apache.tika.mime.MimeTypes;

/**
 * Tells the {@link FileFormat} of a file from its bytes, with tika-core's magic-byte database and
 * a few bounded looks of its own. Thread-safe; build it once and share it.
 *
 * <p>The rules, in order:
 * <ol>
 *   <li>An empty file is no format.</li>
 *   <li>The first 64 KiB decide (Tika's magic, no file name given to it): png, jpeg, webp, gif, pdf.
 *       A polyglot is what its leading magic says: a GIF header followed by script is a GIF, a PDF
 *       with a zip appended is a PDF.</li>
 *   <li>ISO media ({@code ftyp} box): major brand {@code qt  } is mov; an ISO/MP4 video brand is mp4;
 *       anything else (m4a audio, HEIC/AVIF images, 3GP) is no format. QuickTime without
 *       {@code ftyp} (Tika's {@code video/quicktime}) is mov.</li>
 *   <li>EBML: DocType {@code webm} is webm; other Matroska is no format.</li>
 *   <li>A zip is docx or xlsx only when its {@code [Content_Types].xml} (read to at most 256 KiB,
 *       from the central directory, nothing else inflated) declares exactly one of the two main
 *       document parts and that part exists. Macro-enabled, template and other zips are no format.
 *       The file name plays no part: a docx named {@code .xlsx} is docx.</li>
 *   <li>Everything else is text if all its bytes are valid UTF-8 without a NUL byte (checked while
 *       streaming the file, never loading it whole). HTML, SVG, JSON or source code are therefore
 *       accepted, as plain text. Text is csv when the name ends in {@code .csv}, md when it ends in
 *       {@code .md} or {@code .markdown}, and txt otherwise.</li>
 * </ol>
 * Memory is bounded by the 64 KiB prefix, a 64 KiB streaming buffer and the zip's central
 * directory; time is linear in the file's size.
 */
public final class TikaFormatDetector implements FormatDetector {
    private static final int PREFIX_BYTES = 64 * 1024;
    private static final int MAX_ZIP_ENTRIES = 10_000;
    private static final int MAX_CONTENT_TYPES_BYTES = 256 * 1024;
    private static final String DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml";
    private static final String XLSX_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml";
    private static final Pattern OVERRIDE = Pattern.compile("<(?:\\w+:)?Override\\b([^>]*)>");
    private static final Pattern PART_NAME = Pattern.compile("\\bPartName\\s*=\\s*[\"']([^\"']*)[\"']");
    private static final Pattern CONTENT_TYPE = Pattern.compile("\\bContentType\\s*=\\s*[\"']([^\"']*)[\"']");
    private static final Set<String> MP4_BRANDS = Set.of(
            "isom", "iso2", "iso3", "iso4", "iso5", "iso6", "iso7", "iso8", "iso9",
            "mp41", "mp42", "mp71", "avc1", "dash", "M4V ", "M4VH", "M4VP", "f4v ", "mmp4", "MSNV", "NDAS", "XAVC");

    private static final MediaType PNG = MediaType.image("png");
    private static final MediaType JPEG = MediaType.image("jpeg");
    private static final MediaType WEBP = MediaType.image("webp");
    private static final MediaType GIF = MediaType.image("gif");
    private static final MediaType PDF = MediaType.application("pdf");
    private static final MediaType ZIP = MediaType.application("zip");
    private static final MediaType QUICKTIME = MediaType.video("quicktime");

    private final MimeTypes mimeTypes;
    private final MediaTypeRegistry registry;

    /** Loads Tika's magic database (once; a few hundred milliseconds). */
    public TikaFormatDetector() {
        this.mimeTypes = MimeTypes.getDefaultMimeTypes();
        this.registry = mimeTypes.getMediaTypeRegistry();
    }

    /**
     * {@inheritDoc}
     *
     * @param file     the spooled upload; not null
     * @param filename the client's name, used only to tell csv / md / txt apart; may be null
     * @throws NullPointerException if {@code file} is null
     * @throws UncheckedIOException if {@code file} cannot be read (an infrastructure fault, not a bad upload)
     */
    @Override
    public Optional<FileFormat> detect(Path file, String filename) {
        Objects.requireNonNull(file, "file");
        try {
            if (Files.size(file) == 0) return Optional.empty();
            byte[] prefix;
            try (InputStream in = Files.newInputStream(file)) {
                prefix = in.readNBytes(PREFIX_BYTES);
            }
            if (prefix.length == 0) return Optional.empty();
            if (prefix.length >= 12 && ascii(prefix, 4, 4).equals("ftyp")) return isoMedia(prefix);
            if (startsWith(prefix, 0x1A, 0x45, 0xDF, 0xA3)) return ebml(prefix);

            MediaType type = mimeTypes.detect(new ByteArrayInputStream(prefix), new Metadata());
            if (is(type, PNG)) return Optional.of(FileFormat.PNG);
            if (is(type, JPEG)) return Optional.of(FileFormat.JPEG);
            if (is(type, WEBP)) return Optional.of(FileFormat.WEBP);
            if (is(type, GIF)) return Optional.of(FileFormat.GIF);
            if (is(type, PDF)) return Optional.of(FileFormat.PDF);
            if (is(type, QUICKTIME)) return Optional.of(FileFormat.MOV);
            if (is(type, ZIP) || startsWith(prefix, 'P', 'K', 3, 4)) return officeZip(file);
            return isUtf8Text(file) ? Optional.of(textFormat(filename)) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the file to detect its format", e);
        }
    }

    private boolean is(MediaType type, MediaType family) {
        MediaType base = type.getBaseType();
        return base.equals(family) || registry.isSpecializationOf(base, family);
    }

    /** mov for QuickTime's brand, mp4 for ISO/MP4 video brands, nothing for audio, images and 3GP. */
    private static Optional<FileFormat> isoMedia(byte[] prefix) {
        String major = ascii(prefix, 8, 4);
        if (major.equals("qt  ")) return Optional.of(FileFormat.MOV);
        if (MP4_BRANDS.contains(major)) return Optional.of(FileFormat.MP4);
        return Optional.empty();
    }

    /** webm when the EBML header's DocType is {@code webm}; other Matroska is not accepted. */
    private static Optional<FileFormat> ebml(byte[] prefix) {
        int[] pos = {4};
        long headerSize = vint(prefix, pos, true);
        if (headerSize < 0) return Optional.empty();
        long end = Math.min(prefix.length, pos[0] + headerSize);
        while (pos[0] < end) {
            long id = vint(prefix, pos, false);
            long size = vint(prefix, pos, true);
            if (id < 0 || size < 0 || pos[0] + size > end) return Optional.empty();
            if (id == 0x4282) {
                String docType = ascii(prefix, pos[0], (int) size).replace("\0", "");
                return docType.equals("webm") ? Optional.of(FileFormat.WEBM) : Optional.empty();
            }
            pos[0] += (int) size;
        }
        return Optional.empty();
    }

    /** An EBML variable-length integer at {@code pos[0]} (advanced past it), or -1 if malformed or unknown. */
    private static long vint(byte[] b, int[] pos, boolean stripMarker) {
        if (pos[0] >= b.length) return -1;
        int first = b[pos[0]] & 0xFF;
        if (first == 0) return -1;
        int length = Integer.numberOfLeadingZeros(first) - 24 + 1;
        if (pos[0] + length > b.length) return -1;
        long value = stripMarker ? first & (0xFF >> length) : first;
        boolean allOnes = value == (0xFF >> length);
        for (int i = 1; i < length; i++) {
            int next = b[pos[0] + i] & 0xFF;
            allOnes &= next == 0xFF;
            value = (value << 8) | next;
        }
        pos[0] += length;
        return stripMarker && allOnes ? -1 : value;
    }

    private static Optional<FileFormat> officeZip(Path file) {
        Optional<BoundedZip> opened = BoundedZip.open(file, MAX_ZIP_ENTRIES);
        if (opened.isEmpty()) return Optional.empty();
        try (BoundedZip zip = opened.get()) {
            Optional<byte[]> types = zip.read("[Content_Types].xml", MAX_CONTENT_TYPES_BYTES);
            if (types.isEmpty()) return Optional.empty();
            String xml = new String(types.get(), StandardCharsets.UTF_8);
            boolean docx = false;
            boolean xlsx = false;
            Matcher override = OVERRIDE.matcher(xml);
            while (override.find()) {
                Matcher name = PART_NAME.matcher(override.group(1));
                Matcher type = CONTENT_TYPE.matcher(override.group(1));
                if (!name.find() || !type.find()) continue;
                String part = name.group(1).startsWith("/") ? name.group(1).substring(1) : name.group(1);
                if (!zip.has(part)) continue;
                docx |= type.group(1).equals(DOCX_MAIN);
                xlsx |= type.group(1).equals(XLSX_MAIN);
            }
            if (docx == xlsx) return Optional.empty();
            return Optional.of(docx ? FileFormat.DOCX : FileFormat.XLSX);
        }
    }

    /** Whether every byte of {@code file} is strict UTF-8 and none is NUL; streamed, 64 KiB at a time. */
    static boolean isUtf8Text(Path file) throws IOException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.allocate(64 * 1024);
        CharBuffer out = CharBuffer.allocate(64 * 1024);
        byte[] chunk = new byte[48 * 1024];
        try (InputStream stream = Files.newInputStream(file)) {
            int n;
            while ((n = stream.read(chunk)) != -1) {
                for (int i = 0; i < n; i++) {
                    if (chunk[i] == 0) return false;
                }
                in.put(chunk, 0, n).flip();
                if (!decode(decoder, in, out, false)) return false;
                in.compact();
            }
        }
        in.flip();
        return decode(decoder, in, out, true) && !decoder.flush(out.clear()).isError();
    }

    private static boolean decode(CharsetDecoder decoder, ByteBuffer in, CharBuffer out, boolean end) {
        while (true) {
            CoderResult result = decoder.decode(in, out.clear(), end);
            if (result.isError()) return false;
            if (result.isUnderflow()) return !end || !in.hasRemaining();
        }
    }

    private static FileFormat textFormat(String filename) {
        if (filename == null) return FileFormat.TXT;
        String name = filename.substring(Math.max(filename.lastIndexOf('/'), filename.lastIndexOf('\\')) + 1)
                .strip().toLowerCase(Locale.ROOT);
        if (name.endsWith(".csv")) return FileFormat.CSV;
        if (name.endsWith(".md") || name.endsWith(".markdown")) return FileFormat.MD;
        return FileFormat.TXT;
    }

    private static boolean startsWith(byte[] b, int... magic) {
        if (b.length < magic.length) return false;
        for (int i = 0; i < magic.length; i++) {
            if ((b[i] & 0xFF) != magic[i]) return false;
        }
        return true;
    }

    private static String ascii(byte[] b, int offset, int length) {
        int end = Math.min(b.length, offset + length);
        return offset >= end ? "" : new String(b, offset, end - offset, StandardCharsets.ISO_8859_1);
    }
}
