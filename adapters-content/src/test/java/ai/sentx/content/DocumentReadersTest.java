package ai.sentx.content;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sentx.domain.chat.ContentPart;
import ai.sentx.domain.files.ExtractedDocument;
import ai.sentx.domain.files.FileFormat;
import ai.sentx.port.UnreadableDocumentException;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DocumentReadersTest {
    private static final DocumentReaders READER = new DocumentReaders();

    @TempDir
    Path dir;

    private Path file(String name, byte[] bytes) throws IOException {
        return Samples.write(dir, name, bytes);
    }

    /** Reads and expects a refusal whose message is short and names no path. */
    private UnreadableDocumentException refused(DocumentReaders reader, FileFormat format, Path file) {
        UnreadableDocumentException e = assertThrows(UnreadableDocumentException.class, () -> reader.read(format, file, true));
        assertFalse(e.getMessage().contains(dir.toString()), e.getMessage());
        assertFalse(e.getMessage().contains(file.getFileName().toString()), e.getMessage());
        assertTrue(e.getMessage().length() < 100, e.getMessage());
        return e;
    }

    @Test
    void readsPdfText_pageByPage() throws Exception {
        ExtractedDocument doc = READER.read(FileFormat.PDF, file("d.pdf", Samples.pdf(3, 40)), false);
        assertTrue(doc.text().contains("Page 1"), doc.text());
        assertTrue(doc.text().contains("Page 3"), doc.text());
        assertTrue(doc.text().contains("lorem") || doc.text().contains("ipsum"), doc.text());
        assertFalse(doc.truncated());
        assertEquals(0, doc.pageImages().size());
    }

    @Test
    void rendersTheFirstFourPagesAsPng_whenPageImagesAreAsked() throws Exception {
        ExtractedDocument doc = READER.read(FileFormat.PDF, file("d.pdf", Samples.pdf(6, 20)), true);
        assertEquals(4, doc.pageImages().size());
        for (ContentPart.Image image : doc.pageImages()) {
            assertEquals("image/png", image.mediaType());
            BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(image.bytes()));
            assertNotNull(decoded);
            // A4 at 96 dpi: 794 x 1123 pixels.
            assertEquals(794, decoded.getWidth(), 2);
            assertEquals(1123, decoded.getHeight(), 2);
        }
    }

    @Test
    void rendersAHugePageAtALowerResolution_withinThePixelLimit() throws Exception {
        ExtractedDocument doc = READER.read(FileFormat.PDF, file("huge.pdf", hugePagePdf()), true);
        assertEquals(1, doc.pageImages().size());
        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(doc.pageImages().get(0).bytes()));
        assertTrue((long) decoded.getWidth() * decoded.getHeight() <= ReaderLimits.defaults().maxPageImagePixels() * 1.01,
                decoded.getWidth() + "x" + decoded.getHeight());
    }

    private static byte[] hugePagePdf() throws IOException {
        try (var pdf = new org.apache.pdfbox.pdmodel.PDDocument()) {
            pdf.addPage(new org.apache.pdfbox.pdmodel.PDPage(new org.apache.pdfbox.pdmodel.common.PDRectangle(14400, 14400)));
            var out = new java.io.ByteArrayOutputStream();
            pdf.save(out);
            return out.toByteArray();
        }
    }

    @Test
    void readsOnlyMaxPages_andSaysTheTextIsTruncated() throws Exception {
        ReaderLimits two = new ReaderLimits(1_000_000, 2, 4, 96, 4_000_000, Duration.ofSeconds(20), 4 << 20, 0.01,
                100 << 20, 16 << 20, 256 << 20);
        ExtractedDocument doc = new DocumentReaders(two).read(FileFormat.PDF, file("d.pdf", Samples.pdf(3, 10)), false);
        assertTrue(doc.text().contains("Page 2"));
        assertFalse(doc.text().contains("Page 3"));
        assertTrue(doc.truncated());
    }

    @Test
    void cutsTextAtMaxChars_andSaysSo() throws Exception {
        DocumentReaders small = new DocumentReaders(ReaderLimits.defaults().withMaxTextChars(100));
        ExtractedDocument pdf = small.read(FileFormat.PDF, file("d.pdf", Samples.pdf(3, 300)), false);
        assertEquals(100, pdf.text().length());
        assertTrue(pdf.truncated());
        ExtractedDocument txt = small.read(FileFormat.TXT, file("t.txt", "x".repeat(5000).getBytes(StandardCharsets.UTF_8)), false);
        assertEquals("x".repeat(100), txt.text());
        assertTrue(txt.truncated());
    }

    @Test
    void neverKeepsHalfASurrogatePair_whenCuttingText() throws Exception {
        DocumentReaders small = new DocumentReaders(ReaderLimits.defaults().withMaxTextChars(3));
        ExtractedDocument txt = small.read(FileFormat.TXT, file("t.txt", "ab🎉c".getBytes(StandardCharsets.UTF_8)), false);
        assertEquals("ab", txt.text());
        assertTrue(txt.truncated());
    }

    @Test
    void readsDocxParagraphs_andTablesAsCsvLikeRows() throws Exception {
        byte[] docx = Samples.docx("Hello from Word", new String[][] {{"name", "note"}, {"tea", "green, hot"}});
        ExtractedDocument doc = READER.read(FileFormat.DOCX, file("d.docx", docx), true);
        assertEquals("Hello from Word\nname,note\ntea,\"green, hot\"\nThe end.\n", doc.text());
        assertFalse(doc.truncated());
        assertEquals(0, doc.pageImages().size());
    }

    @Test
    void readsXlsxSheetBySheet_asCsvLikeRows() throws Exception {
        ExtractedDocument doc = READER.read(FileFormat.XLSX, file("d.xlsx", Samples.xlsx(Samples.twoSheets())), false);
        assertEquals("# Sheet: Prices\n"
                + "item,price\n"
                + "\"tea, green\",3\n"
                + "coffee,2.5\n"
                + "# Sheet: Notes\n"
                + "\"say \"\"hi\"\"\",,third\n", doc.text());
    }

    @Test
    void stopsReadingAnEndlessSpreadsheet_atMaxChars() throws Exception {
        Object[][] rows = new Object[1000][];
        for (int i = 0; i < rows.length; i++) rows[i] = new Object[] {"row " + i, i};
        Map<String, Object[][]> sheets = new LinkedHashMap<>();
        sheets.put("Big", rows);
        DocumentReaders small = new DocumentReaders(ReaderLimits.defaults().withMaxTextChars(1000));
        ExtractedDocument doc = small.read(FileFormat.XLSX, file("big.xlsx", Samples.xlsx(sheets)), false);
        assertEquals(1000, doc.text().length());
        assertTrue(doc.truncated());
    }

    @Test
    void readsTextFormatsAsUtf8_withoutAByteOrderMark() throws Exception {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        byte[] body = "a,b\nGrüße,日本\n".getBytes(StandardCharsets.UTF_8);
        byte[] withBom = Arrays.copyOf(bom, bom.length + body.length);
        System.arraycopy(body, 0, withBom, bom.length, body.length);
        for (FileFormat format : new FileFormat[] {FileFormat.CSV, FileFormat.TXT, FileFormat.MD}) {
            ExtractedDocument doc = READER.read(format, file("t", withBom), true);
            assertEquals("a,b\nGrüße,日本\n", doc.text());
            assertFalse(doc.truncated());
        }
    }

    @Test
    void refusesTextThatIsNotUtf8() throws Exception {
        Path latin1 = file("t.txt", "caf\u00e9".getBytes(StandardCharsets.ISO_8859_1));
        assertEquals("The text file is not valid UTF-8.", refused(READER, FileFormat.TXT, latin1).getMessage());
    }

    @Test
    void refusesAPdfWithArraysNested50000Deep_ratherThanReadingItAsBlank() throws Exception {
        Path nested = file("nested.pdf", Samples.nestedArrayPdf(50_000));
        assertEquals("The PDF is damaged or not a valid PDF.", refused(READER, FileFormat.PDF, nested).getMessage());
    }

    @Test
    void refusesAPdfWithDictionariesNested50000Deep() throws Exception {
        Path nested = file("nested.pdf", Samples.nestedDictionaryPdf(50_000));
        assertEquals("The PDF is damaged or not a valid PDF.", refused(READER, FileFormat.PDF, nested).getMessage());
    }

    @Test
    void refusesAPdfWhosePageTreeOverflowsTheWorkerStack_andStaysUsable() throws Exception {
        Path deep = file("deep.pdf", Samples.deepPageTreePdf(50_000));
        assertEquals("The PDF is nested too deeply to read.", refused(READER, FileFormat.PDF, deep).getMessage());
        assertTrue(READER.read(FileFormat.PDF, file("ok.pdf", Samples.pdf(1, 5)), false).text().contains("Page 1"));
    }

    @Test
    void refusesAPasswordProtectedPdf() throws Exception {
        Path locked = file("locked.pdf", Samples.encryptedPdf("user-secret"));
        assertEquals("The PDF is password-protected.", refused(READER, FileFormat.PDF, locked).getMessage());
    }

    @Test
    void readsAPdfEncryptedWithOnlyAnOwnerPassword_asEveryViewerOpensIt() throws Exception {
        ExtractedDocument doc = READER.read(FileFormat.PDF, file("owner.pdf", Samples.encryptedPdf("")), false);
        assertTrue(doc.text().contains("Page 1"), doc.text());
    }

    @Test
    void refusesAPdfOfGarbage() throws Exception {
        byte[] garbage = new byte[4096];
        new java.util.Random(7).nextBytes(garbage);
        System.arraycopy("%PDF-1.7\n".getBytes(StandardCharsets.US_ASCII), 0, garbage, 0, 9);
        assertEquals("The PDF is damaged or not a valid PDF.", refused(READER, FileFormat.PDF, file("g.pdf", garbage)).getMessage());
    }

    @Test
    void readsOrRefusesATruncatedPdf_butNeverThrowsAnythingElse() throws Exception {
        byte[] pdf = Samples.pdf(5, 50);
        for (int percent : new int[] {10, 40, 70, 95}) {
            Path cut = file("cut" + percent + ".pdf", Arrays.copyOf(pdf, pdf.length * percent / 100));
            try {
                READER.read(FileFormat.PDF, cut, true);
            } catch (UnreadableDocumentException expected) {
                assertFalse(expected.getMessage().contains(dir.toString()));
            }
        }
    }

    @Test
    void refusesADocxZipBombQuickly() throws Exception {
        Path bomb = Samples.officeBomb(dir.resolve("bomb.docx"), Samples.DOCX_CONTENT_TYPES, Samples.rels("word/document.xml"),
                "word/document.xml", "<?xml version=\"1.0\"?><w:document xmlns:w=\"http://schemas.openxmlformats.org/"
                        + "wordprocessingml/2006/main\"><w:body>", Samples.GIGABYTE);
        UnreadableDocumentException e = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> refused(READER, FileFormat.DOCX, bomb));
        assertEquals("The Word document expands to more data than allowed.", e.getMessage());
    }

    @Test
    void refusesAnXlsxZipBombQuickly() throws Exception {
        String workbook = "<?xml version=\"1.0\"?><workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
                + "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets>"
                + "<sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
        Path bomb = Samples.xlsxBomb(dir.resolve("bomb.xlsx"), workbook);
        UnreadableDocumentException e = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> refused(READER, FileFormat.XLSX, bomb));
        assertEquals("The spreadsheet expands to more data than allowed.", e.getMessage());
    }

    @Test
    void refusesAPlainZipPassedAsDocxOrXlsx() throws Exception {
        Map<String, byte[]> entries = Map.of("a.txt", "hello".getBytes(StandardCharsets.UTF_8));
        Path zip = file("a.zip", Samples.zip(entries));
        assertEquals("The Word document is damaged or not a valid Word document.", refused(READER, FileFormat.DOCX, zip).getMessage());
        assertEquals("The spreadsheet is damaged or not a valid spreadsheet.", refused(READER, FileFormat.XLSX, zip).getMessage());
    }

    @Test
    void refusesAnXlsxPassedAsDocx() throws Exception {
        Path xlsx = file("d.docx", Samples.xlsx(Samples.twoSheets()));
        refused(READER, FileFormat.DOCX, xlsx);
    }

    @Test
    void abandonsADocumentThatTakesLongerThanTheDeadline() throws Exception {
        DocumentReaders hurried = new DocumentReaders(ReaderLimits.defaults().withDeadline(Duration.ofMillis(1)));
        Path pdf = file("d.pdf", Samples.pdf(50, 300));
        long start = System.nanoTime();
        assertEquals("The PDF took too long to read.", refused(hurried, FileFormat.PDF, pdf).getMessage());
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(2).toNanos());
    }

    @Test
    void refusesImageAndVideoFormats_asProgrammingErrors() throws Exception {
        Path png = file("i.png", Samples.image("png"));
        assertThrows(IllegalArgumentException.class, () -> READER.read(FileFormat.PNG, png, false));
        assertThrows(IllegalArgumentException.class, () -> READER.read(FileFormat.MP4, png, false));
    }

    @Test
    void readsTheSameDocumentConcurrently() throws Exception {
        Path pdf = file("d.pdf", Samples.pdf(2, 30));
        ExtractedDocument expected = READER.read(FileFormat.PDF, pdf, false);
        var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            java.util.concurrent.Callable<ExtractedDocument> read = () -> READER.read(FileFormat.PDF, pdf, false);
            var results = pool.invokeAll(java.util.Collections.nCopies(8, read));
            for (var r : results) assertEquals(expected.text(), r.get().text());
        } finally {
            pool.shutdownNow();
        }
    }
}
