package ai.sentx.content;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import ai.sentx.domain.files.FileFormat;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TikaFormatDetectorTest {
    private static TikaFormatDetector detector;

    @TempDir
    Path dir;

    @BeforeAll
    static void loadOnce() {
        detector = new TikaFormatDetector();
    }

    private Optional<FileFormat> detect(String name, byte[] bytes) throws IOException {
        return detector.detect(Samples.write(dir, "upload.bin", bytes), name);
    }

    @Test
    void detectsEachImageFormat_fromRealEncodedImages() throws IOException {
        assertEquals(Optional.of(FileFormat.PNG), detect("a.png", Samples.image("png")));
        assertEquals(Optional.of(FileFormat.JPEG), detect("a.jpg", Samples.image("jpeg")));
        assertEquals(Optional.of(FileFormat.GIF), detect("a.gif", Samples.image("gif")));
        assertEquals(Optional.of(FileFormat.WEBP), detect("a.webp", Samples.webp()));
    }

    @Test
    void judgesImagesByBytes_notByTheirName() throws IOException {
        assertEquals(Optional.of(FileFormat.PNG), detect("photo.jpg", Samples.image("png")));
        assertEquals(Optional.of(FileFormat.JPEG), detect(null, Samples.image("jpeg")));
    }

    @Test
    void tellsMp4FromMov_byTheFtypMajorBrand() throws IOException {
        assertEquals(Optional.of(FileFormat.MP4), detect("v.mov", Samples.isoMedia("isom", "isom", "avc1")));
        assertEquals(Optional.of(FileFormat.MP4), detect("v", Samples.isoMedia("mp42", "mp41")));
        assertEquals(Optional.of(FileFormat.MOV), detect("v.mp4", Samples.isoMedia("qt  ", "qt  ")));
    }

    @Test
    void refusesIsoMediaThatIsNotVideo_likeM4aAudioAndHeicImages() throws IOException {
        assertEquals(Optional.empty(), detect("a.m4a", Samples.isoMedia("M4A ", "M4A ", "mp42", "isom")));
        assertEquals(Optional.empty(), detect("a.heic", Samples.isoMedia("heic", "mif1", "heic")));
    }

    @Test
    void acceptsWebm_butNotOtherMatroska() throws IOException {
        assertEquals(Optional.of(FileFormat.WEBM), detect("v.webm", Samples.ebml("webm")));
        assertEquals(Optional.empty(), detect("v.webm", Samples.ebml("matroska")));
    }

    @Test
    void detectsPdfDocxAndXlsx_madeByPdfBoxAndPoi() throws IOException {
        assertEquals(Optional.of(FileFormat.PDF), detect("d.pdf", Samples.pdf(1, 10)));
        assertEquals(Optional.of(FileFormat.DOCX), detect("d.docx", Samples.docx("hello", null)));
        assertEquals(Optional.of(FileFormat.XLSX), detect("d.xlsx", Samples.xlsx(Samples.twoSheets())));
    }

    @Test
    void letsTheBytesWin_whenADocxIsNamedXlsx() throws IOException {
        assertEquals(Optional.of(FileFormat.DOCX), detect("budget.xlsx", Samples.docx("hello", null)));
        assertEquals(Optional.of(FileFormat.XLSX), detect("letter.docx", Samples.xlsx(Samples.twoSheets())));
    }

    @Test
    void refusesAZipThatIsNeitherDocxNorXlsx() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("readme.txt", "hello".getBytes(StandardCharsets.UTF_8));
        entries.put("word/document.xml", "<not-declared/>".getBytes(StandardCharsets.UTF_8));
        assertEquals(Optional.empty(), detect("archive.docx", Samples.zip(entries)));
    }

    @Test
    void refusesAnOfficeZipWhoseDeclaredMainPartIsMissing() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("[Content_Types].xml", Samples.DOCX_CONTENT_TYPES.getBytes(StandardCharsets.UTF_8));
        assertEquals(Optional.empty(), detect("d.docx", Samples.zip(entries)));
    }

    @Test
    void refusesAZipDeclaringBothMainParts() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        String both = Samples.XLSX_CONTENT_TYPES.replace("</Types>",
                "<Override PartName=\"/word/document.xml\" ContentType="
                        + "\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>");
        entries.put("[Content_Types].xml", both.getBytes(StandardCharsets.UTF_8));
        entries.put("word/document.xml", "<w/>".getBytes(StandardCharsets.UTF_8));
        entries.put("xl/workbook.xml", "<x/>".getBytes(StandardCharsets.UTF_8));
        assertEquals(Optional.empty(), detect("d.docx", Samples.zip(entries)));
    }

    @Test
    void detectsAZipBombDocxQuickly_withoutInflatingTheBomb() throws IOException {
        Path bomb = Samples.officeBomb(dir.resolve("bomb.docx"), Samples.DOCX_CONTENT_TYPES, Samples.rels("word/document.xml"),
                "word/document.xml", "<?xml version=\"1.0\"?>", 64L << 20);
        Optional<FileFormat> format = assertTimeoutPreemptively(Duration.ofSeconds(2), () -> detector.detect(bomb, "bomb.docx"));
        assertEquals(Optional.of(FileFormat.DOCX), format);
    }

    @Test
    void refusesAZipWhoseContentTypesPartIsItselfABomb() throws IOException {
        Path bomb = Samples.officeBomb(dir.resolve("bomb.docx"), Samples.DOCX_CONTENT_TYPES, Samples.rels("word/document.xml"),
                "[Content_Types].xml", Samples.DOCX_CONTENT_TYPES, 64L << 20);
        assertEquals(Optional.empty(), assertTimeoutPreemptively(Duration.ofSeconds(2), () -> detector.detect(bomb, "bomb.docx")));
    }

    @Test
    void tellsCsvMdAndTxtApart_byTheNameOnlyOnceTheBytesAreText() throws IOException {
        byte[] text = "a,b\n1,2\n".getBytes(StandardCharsets.UTF_8);
        assertEquals(Optional.of(FileFormat.CSV), detect("table.CSV", text));
        assertEquals(Optional.of(FileFormat.MD), detect("notes.md", text));
        assertEquals(Optional.of(FileFormat.MD), detect("C:\\docs\\notes.markdown", text));
        assertEquals(Optional.of(FileFormat.TXT), detect("notes.txt", text));
        assertEquals(Optional.of(FileFormat.TXT), detect("csv", text));
        assertEquals(Optional.of(FileFormat.TXT), detect(null, text));
    }

    @Test
    void acceptsHtmlAndOtherUtf8Text_asPlainText() throws IOException {
        assertEquals(Optional.of(FileFormat.TXT), detect("page.html",
                "<!DOCTYPE html><html><body><script>alert(1)</script></body></html>".getBytes(StandardCharsets.UTF_8)));
        assertEquals(Optional.of(FileFormat.TXT), detect("data.json", "{\"k\": \"Grüße 日本 🎉\"}".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void refusesTextThatIsNotValidUtf8() throws IOException {
        assertEquals(Optional.empty(), detect("latin1.txt", "caf\u00e9".getBytes(StandardCharsets.ISO_8859_1)));
        assertEquals(Optional.empty(), detect("cut.txt", Arrays.copyOf("日本".getBytes(StandardCharsets.UTF_8), 5)));
        assertEquals(Optional.empty(), detect("utf16.txt", "hello".getBytes(StandardCharsets.UTF_16)));
        assertEquals(Optional.empty(), detect("overlong.txt", new byte[] {'a', (byte) 0xC0, (byte) 0xAF}));
    }

    @Test
    void refusesTextWithANulByte() throws IOException {
        assertEquals(Optional.empty(), detect("nul.txt", "abc\0def".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void acceptsAMultiByteCharacterSplitAcrossTheStreamingBuffers() throws IOException {
        for (int shift = 1; shift <= 3; shift++) {
            byte[] text = new byte[48 * 1024 + 10];
            Arrays.fill(text, (byte) 'a');
            byte[] euro = "€".getBytes(StandardCharsets.UTF_8);
            System.arraycopy(euro, 0, text, 48 * 1024 - shift, euro.length);
            assertEquals(Optional.of(FileFormat.TXT), detect("t.txt", text), "split at -" + shift);
        }
    }

    @Test
    void refusesAnEmptyFile() throws IOException {
        assertEquals(Optional.empty(), detect("empty.txt", new byte[0]));
    }

    @Test
    void refusesAnExecutable() throws IOException {
        byte[] exe = new byte[512];
        exe[0] = 'M';
        exe[1] = 'Z';
        exe[60] = (byte) 0x80;
        assertEquals(Optional.empty(), detect("setup.txt", exe));
    }

    @Test
    void scansA25MbPlusOneByteTextFile_inBoundedTime() throws IOException {
        Path big = dir.resolve("big.txt");
        byte[] line = "the quick brown fox jumps over the lazy dog 0123456789\n".getBytes(StandardCharsets.UTF_8);
        long size = 25L * 1024 * 1024 + 1;
        try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(big), 1 << 16)) {
            long written = 0;
            while (written + line.length <= size) {
                out.write(line);
                written += line.length;
            }
            out.write(line, 0, (int) (size - written));
        }
        assertEquals(size, Files.size(big));
        assertEquals(Optional.of(FileFormat.TXT), assertTimeoutPreemptively(Duration.ofSeconds(3), () -> detector.detect(big, "big.txt")));
    }

    @Test
    void callsAGifWithScriptAfterItsHeaderAGif_whateverItsName() throws IOException {
        byte[] polyglot = "GIF89a/*\u0001\u0001*/=1;alert(document.domain);//".getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(Optional.of(FileFormat.GIF), detect("x.js", polyglot));
        assertEquals(Optional.of(FileFormat.GIF), detect("x.txt", polyglot));
    }

    @Test
    void callsAPdfWithAZipAppendedAPdf() throws IOException {
        byte[] pdf = Samples.pdf(1, 5);
        byte[] docx = Samples.docx("hidden", null);
        byte[] polyglot = Arrays.copyOf(pdf, pdf.length + docx.length);
        System.arraycopy(docx, 0, polyglot, pdf.length, docx.length);
        assertEquals(Optional.of(FileFormat.PDF), detect("x.docx", polyglot));
    }

    @Test
    void canBeSharedAcrossThreads() throws Exception {
        byte[] png = Samples.image("png");
        Path file = Samples.write(dir, "shared.png", png);
        var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            var results = pool.invokeAll(java.util.Collections.nCopies(40, () -> detector.detect(file, "x")));
            for (var r : results) assertEquals(Optional.of(FileFormat.PNG), r.get());
        } finally {
            pool.shutdownNow();
        }
    }
}
