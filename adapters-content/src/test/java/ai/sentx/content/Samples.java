package ai.sentx.content;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.encryption.AccessPermission;
import org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.poi.xssf.usermodel.XSSFRow;
import org.apache.poi.xssf.usermodel.XSSFSheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.apache.poi.xwpf.usermodel.XWPFDocument;
import org.apache.poi.xwpf.usermodel.XWPFTable;

/** Real and hostile files, made by the tests themselves: nothing big is committed. */
final class Samples {
    static final String EICAR = "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*";
    static final String DOCX_CONTENT_TYPES = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
            <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
            <Default Extension="xml" ContentType="application/xml"/>\
            <Override PartName="/word/document.xml" \
            ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>\
            </Types>""";
    static final String XLSX_CONTENT_TYPES = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
            <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
            <Default Extension="xml" ContentType="application/xml"/>\
            <Override PartName="/xl/workbook.xml" \
            ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
            <Override PartName="/xl/worksheets/sheet1.xml" \
            ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>\
            </Types>""";

    static final long GIGABYTE = 1L << 30;

    private Samples() {
    }

    static Path write(Path dir, String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    static byte[] image(String format) throws IOException {
        BufferedImage image = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.RED);
        g.fillRect(2, 2, 8, 8);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(image, format, out)) throw new IllegalStateException("no ImageIO writer for " + format);
        return out.toByteArray();
    }

    /** A PDF of {@code pages} pages whose page i says "Page i" and then {@code wordsPerPage} words. */
    static byte[] pdf(int pages, int wordsPerPage) throws IOException {
        try (PDDocument doc = new PDDocument()) {
            fill(doc, pages, wordsPerPage);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.save(out);
            return out.toByteArray();
        }
    }

    static byte[] encryptedPdf(String userPassword) throws IOException {
        try (PDDocument doc = new PDDocument()) {
            fill(doc, 1, 5);
            StandardProtectionPolicy policy = new StandardProtectionPolicy("owner-secret", userPassword, new AccessPermission());
            policy.setEncryptionKeyLength(128);
            doc.protect(policy);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.save(out);
            return out.toByteArray();
        }
    }

    private static void fill(PDDocument doc, int pages, int wordsPerPage) throws IOException {
        PDType1Font font = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
        for (int p = 1; p <= pages; p++) {
            PDPage page = new PDPage(PDRectangle.A4);
            doc.addPage(page);
            try (PDPageContentStream text = new PDPageContentStream(doc, page)) {
                text.beginText();
                text.setFont(font, 10);
                text.setLeading(12);
                text.newLineAtOffset(40, 800);
                text.showText("Page " + p);
                StringBuilder line = new StringBuilder();
                for (int w = 0; w < wordsPerPage; w++) {
                    line.append(WORDS[(p * 31 + w) % WORDS.length]).append(' ');
                    if (line.length() > 90) {
                        text.newLine();
                        text.showText(line.toString().strip());
                        line.setLength(0);
                    }
                }
                text.newLine();
                text.showText(line.toString().strip());
                text.endText();
            }
        }
    }

    private static final String[] WORDS = ("lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor "
            + "incididunt ut labore et dolore magna aliqua enim ad minim veniam quis nostrud exercitation ullamco "
            + "laboris nisi aliquip ex ea commodo consequat").split(" ");

    /** A PDF whose only page carries an array nested {@code depth} deep. */
    static byte[] nestedArrayPdf(int depth) {
        return pagePdf("[".repeat(depth) + "]".repeat(depth));
    }

    /** A PDF whose only page carries a dictionary nested {@code depth} deep. */
    static byte[] nestedDictionaryPdf(int depth) {
        return pagePdf("<< /A ".repeat(depth) + "1" + " >>".repeat(depth));
    }

    private static byte[] pagePdf(String nested) {
        return pdfOf(java.util.List.of(
                "<< /Type /Catalog /Pages 2 0 R >>",
                "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Nested " + nested + " >>"));
    }

    /** A PDF whose page tree is {@code depth} levels of single-kid /Pages nodes above its one page. */
    static byte[] deepPageTreePdf(int depth) {
        java.util.List<String> objects = new java.util.ArrayList<>();
        objects.add("<< /Type /Catalog /Pages 2 0 R >>");
        for (int i = 0; i < depth; i++) {
            int me = i + 2;
            String parent = i == 0 ? "" : " /Parent " + (me - 1) + " 0 R";
            objects.add("<< /Type /Pages /Kids [" + (me + 1) + " 0 R] /Count 1" + parent + " >>");
        }
        objects.add("<< /Type /Page /Parent " + (depth + 1) + " 0 R /MediaBox [0 0 612 792] >>");
        return pdfOf(objects);
    }

    /** A PDF of the given objects (numbered from 1, the first is the catalog) with a correct xref table. */
    static byte[] pdfOf(java.util.List<String> objects) {
        StringBuilder pdf = new StringBuilder("%PDF-1.4\n");
        int[] offsets = new int[objects.size()];
        for (int i = 0; i < objects.size(); i++) {
            offsets[i] = pdf.length();
            pdf.append(i + 1).append(" 0 obj\n").append(objects.get(i)).append("\nendobj\n");
        }
        int xref = pdf.length();
        pdf.append("xref\n0 ").append(objects.size() + 1).append("\n0000000000 65535 f \n");
        for (int offset : offsets) pdf.append(String.format("%010d 00000 n \n", offset));
        pdf.append("trailer\n<< /Size ").append(objects.size() + 1).append(" /Root 1 0 R >>\nstartxref\n")
                .append(xref).append("\n%%EOF\n");
        return pdf.toString().getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] docx(String paragraph, String[][] table) throws IOException {
        try (XWPFDocument doc = new XWPFDocument()) {
            doc.createParagraph().createRun().setText(paragraph);
            if (table != null) {
                XWPFTable t = doc.createTable(table.length, table[0].length);
                for (int r = 0; r < table.length; r++) {
                    for (int c = 0; c < table[r].length; c++) t.getRow(r).getCell(c).setText(table[r][c]);
                }
            }
            doc.createParagraph().createRun().setText("The end.");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.write(out);
            return out.toByteArray();
        }
    }

    /** A workbook with one sheet per entry; each sheet's rows are given as cell values (null = no cell). */
    static byte[] xlsx(Map<String, Object[][]> sheets) throws IOException {
        try (XSSFWorkbook book = new XSSFWorkbook()) {
            for (Map.Entry<String, Object[][]> s : sheets.entrySet()) {
                XSSFSheet sheet = book.createSheet(s.getKey());
                Object[][] rows = s.getValue();
                for (int r = 0; r < rows.length; r++) {
                    XSSFRow row = sheet.createRow(r);
                    for (int c = 0; c < rows[r].length; c++) {
                        Object v = rows[r][c];
                        if (v instanceof String text) row.createCell(c).setCellValue(text);
                        else if (v instanceof Number n) row.createCell(c).setCellValue(n.doubleValue());
                    }
                }
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            book.write(out);
            return out.toByteArray();
        }
    }

    static Map<String, Object[][]> twoSheets() {
        Map<String, Object[][]> sheets = new LinkedHashMap<>();
        sheets.put("Prices", new Object[][] {{"item", "price"}, {"tea, green", 3}, {"coffee", 2.5}});
        sheets.put("Notes", new Object[][] {{"say \"hi\"", null, "third"}});
        return sheets;
    }

    static byte[] zip(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }

    /**
     * An Office zip whose {@code bombEntry} starts as XML and then inflates to {@code bombBytes} of
     * spaces at deflate's best ratio (about 1000:1). The deflate stream is assembled from one
     * compressed megabyte repeated, so making a gigabyte bomb takes well under a second.
     */
    static Path officeBomb(Path file, String contentTypes, String rels, String bombEntry, String xmlStart, long bombBytes)
            throws IOException {
        try (HandZip zip = new HandZip(file)) {
            if (!bombEntry.equals("[Content_Types].xml")) zip.add("[Content_Types].xml", contentTypes);
            zip.add("_rels/.rels", rels);
            zip.addBomb(bombEntry, xmlStart, bombBytes);
        }
        return file;
    }

    /** An xlsx whose only sheet starts as XML and then inflates to a gigabyte of spaces. */
    static Path xlsxBomb(Path file, String workbook) throws IOException {
        try (HandZip zip = new HandZip(file)) {
            zip.add("[Content_Types].xml", XLSX_CONTENT_TYPES);
            zip.add("_rels/.rels", rels("xl/workbook.xml"));
            zip.add("xl/workbook.xml", workbook);
            zip.add("xl/_rels/workbook.xml.rels", "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/"
                    + "package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/"
                    + "officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>");
            zip.addBomb("xl/worksheets/sheet1.xml", "<?xml version=\"1.0\"?><worksheet xmlns=\"http://schemas."
                    + "openxmlformats.org/spreadsheetml/2006/main\"><sheetData>", GIGABYTE);
        }
        return file;
    }

    /** Writes a zip by hand (local headers, deflated data, central directory), so precompressed data can go in. */
    private static final class HandZip implements java.io.Closeable {
        private final OutputStream out;
        private final ByteArrayOutputStream central = new ByteArrayOutputStream();
        private long offset;
        private int count;

        HandZip(Path file) throws IOException {
            out = new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
        }

        void add(String name, String text) throws IOException {
            byte[] data = text.getBytes(StandardCharsets.UTF_8);
            CRC32 crc = new CRC32();
            crc.update(data);
            byte[] deflated = deflate(data, true);
            entry(name, crc.getValue(), data.length, java.util.List.of(deflated));
        }

        void addBomb(String name, String xmlStart, long bombBytes) throws IOException {
            byte[] start = xmlStart.getBytes(StandardCharsets.UTF_8);
            byte[] spaces = new byte[1 << 20];
            java.util.Arrays.fill(spaces, (byte) ' ');
            long repeats = bombBytes / spaces.length;
            CRC32 crc = new CRC32();
            crc.update(start);
            for (long i = 0; i < repeats; i++) crc.update(spaces);
            byte[] head = deflate(start, false);
            byte[] block = deflate(spaces, false);
            byte[] end = deflate(new byte[0], true);
            long size = start.length + repeats * spaces.length;
            java.util.List<byte[]> parts = new java.util.ArrayList<>();
            parts.add(head);
            for (long i = 0; i < repeats; i++) parts.add(block);
            parts.add(end);
            entry(name, crc.getValue(), size, parts);
        }

        /** Raw deflate of {@code data}: the final block when {@code finish}, else full-flushed (no back-references past it). */
        private static byte[] deflate(byte[] data, boolean finish) {
            Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
            deflater.setInput(data);
            if (finish) deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[64 * 1024];
            while (true) {
                int n = deflater.deflate(buffer, 0, buffer.length, finish ? Deflater.NO_FLUSH : Deflater.FULL_FLUSH);
                out.write(buffer, 0, n);
                if (finish ? deflater.finished() : n < buffer.length) break;
            }
            deflater.end();
            return out.toByteArray();
        }

        private void entry(String name, long crc, long size, java.util.List<byte[]> parts) throws IOException {
            byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
            long compressed = 0;
            for (byte[] p : parts) compressed += p.length;
            long local = offset;
            ByteArrayOutputStream header = new ByteArrayOutputStream();
            int32(header, 0x04034b50);
            int16(header, 20);
            int16(header, 0x0800);
            int16(header, 8);
            int16(header, 0);
            int16(header, 0x21);
            int32(header, crc);
            int32(header, compressed);
            int32(header, size);
            int16(header, nameBytes.length);
            int16(header, 0);
            header.writeBytes(nameBytes);
            write(header.toByteArray());
            for (byte[] p : parts) write(p);

            int32(central, 0x02014b50);
            int16(central, 20);
            int16(central, 20);
            int16(central, 0x0800);
            int16(central, 8);
            int16(central, 0);
            int16(central, 0x21);
            int32(central, crc);
            int32(central, compressed);
            int32(central, size);
            int16(central, nameBytes.length);
            int16(central, 0);
            int16(central, 0);
            int16(central, 0);
            int16(central, 0);
            int32(central, 0);
            int32(central, local);
            central.writeBytes(nameBytes);
            count++;
        }

        private void write(byte[] bytes) throws IOException {
            out.write(bytes);
            offset += bytes.length;
        }

        @Override
        public void close() throws IOException {
            long start = offset;
            byte[] directory = central.toByteArray();
            write(directory);
            ByteArrayOutputStream end = new ByteArrayOutputStream();
            int32(end, 0x06054b50);
            int16(end, 0);
            int16(end, 0);
            int16(end, count);
            int16(end, count);
            int32(end, directory.length);
            int32(end, start);
            int16(end, 0);
            write(end.toByteArray());
            out.close();
        }

        private static void int16(ByteArrayOutputStream out, int v) {
            out.write(v & 0xFF);
            out.write((v >>> 8) & 0xFF);
        }

        private static void int32(ByteArrayOutputStream out, long v) {
            for (int i = 0; i < 4; i++) out.write((int) (v >>> (8 * i)) & 0xFF);
        }
    }

    static String rels(String target) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships "
                + "xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" "
                + "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" "
                + "Target=\"" + target + "\"/></Relationships>";
    }

    /** A stored (uncompressed) zip entry, so the raw file holds the bytes as they are. */
    static byte[] storedZip(String name, byte[] content) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            ZipEntry entry = new ZipEntry(name);
            entry.setMethod(ZipEntry.STORED);
            entry.setSize(content.length);
            CRC32 crc = new CRC32();
            crc.update(content);
            entry.setCrc(crc.getValue());
            zip.putNextEntry(entry);
            zip.write(content);
            zip.closeEntry();
        }
        return out.toByteArray();
    }

    /** An ISO media file head: an {@code ftyp} box with {@code major} and compatible brands, then an empty {@code mdat}. */
    static byte[] isoMedia(String major, String... compatible) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int size = 16 + 4 * compatible.length;
        out.writeBytes(new byte[] {0, 0, 0, (byte) size});
        out.writeBytes("ftyp".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(major.getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(new byte[] {0, 0, 2, 0});
        for (String c : compatible) out.writeBytes(c.getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(new byte[] {0, 0, 0, 8, 'm', 'd', 'a', 't'});
        return out.toByteArray();
    }

    /** An EBML header with the given DocType, as WebM and Matroska files start. */
    static byte[] ebml(String docType) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[] {0x42, (byte) 0x86, (byte) 0x81, 0x01}); // EBMLVersion 1
        body.writeBytes(new byte[] {0x42, (byte) 0xF7, (byte) 0x81, 0x01}); // EBMLReadVersion 1
        body.writeBytes(new byte[] {0x42, (byte) 0x82, (byte) (0x80 | docType.length())});
        body.writeBytes(docType.getBytes(StandardCharsets.US_ASCII));
        body.writeBytes(new byte[] {0x42, (byte) 0x87, (byte) 0x81, 0x02}); // DocTypeVersion 2
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {0x1A, 0x45, (byte) 0xDF, (byte) 0xA3, (byte) (0x80 | body.size())});
        out.writeBytes(body.toByteArray());
        out.writeBytes(new byte[] {0x18, 0x53, (byte) 0x80, 0x67, 0x01, 0, 0, 0, 0, 0, 0, 0}); // Segment, empty
        return out.toByteArray();
    }

    /** A lossless WebP of one pixel (RIFF container, VP8L chunk). */
    static byte[] webp() {
        byte[] vp8l = {0x2F, 0, 0, 0, 0, 0x07, 0, 0, 0, 0, 0, 0, 0};
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("RIFF".getBytes(StandardCharsets.US_ASCII));
        int riffSize = 4 + 8 + vp8l.length + (vp8l.length % 2);
        out.writeBytes(new byte[] {(byte) riffSize, 0, 0, 0});
        out.writeBytes("WEBPVP8L".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(new byte[] {(byte) vp8l.length, 0, 0, 0});
        out.writeBytes(vp8l);
        if (vp8l.length % 2 == 1) out.write(0);
        return out.toByteArray();
    }
}
