package ai.sentx.content;

import ai.sentx.domain.files.ExtractedDocument;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.xml.parsers.ParserConfigurationException;
import org.apache.poi.openxml4j.exceptions.InvalidFormatException;
import org.apache.poi.openxml4j.exceptions.OpenXML4JException;
import org.apache.poi.openxml4j.opc.OPCPackage;
import org.apache.poi.openxml4j.opc.PackageAccess;
import org.apache.poi.openxml4j.opc.PackagePart;
import org.apache.poi.openxml4j.opc.PackageRelationshipCollection;
import org.apache.poi.openxml4j.opc.PackageRelationshipTypes;
import org.apache.poi.ss.usermodel.DataFormatter;
import org.apache.poi.ss.util.CellReference;
import org.apache.poi.util.XMLHelper;
import org.apache.poi.xssf.eventusermodel.ReadOnlySharedStringsTable;
import org.apache.poi.xssf.eventusermodel.XSSFReader;
import org.apache.poi.xssf.eventusermodel.XSSFSheetXMLHandler;
import org.apache.poi.xssf.model.StylesTable;
import org.apache.poi.xssf.usermodel.XSSFComment;
import org.xml.sax.Attributes;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.XMLReader;
import org.xml.sax.helpers.DefaultHandler;

/**
 * docx and xlsx as streamed XML: POI opens the package (its {@code ZipSecureFile} guards every
 * inflated entry), and SAX walks the parts, so memory does not grow with the document.
 */
final class OfficeText {
    private static final String DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml";

    private OfficeText() {
    }

    static ExtractedDocument docx(Path file, TextBudget budget) throws IOException, SAXException, OpenXML4JException {
        try (OPCPackage pkg = OPCPackage.open(file.toFile(), PackageAccess.READ)) {
            PackageRelationshipCollection main = pkg.getRelationshipsByType(PackageRelationshipTypes.CORE_DOCUMENT);
            if (main.size() != 1) throw new InvalidFormatException("no main document part");
            PackagePart part = pkg.getPart(main.getRelationship(0));
            if (part == null || !DOCX_MAIN.equals(part.getContentType())) throw new InvalidFormatException("not a word document");
            try (InputStream in = part.getInputStream()) {
                parse(in, new WordHandler(budget));
            } catch (TextBudget.Stop stop) {
                if (stop.timeUp) throw stop;
            }
        }
        return new ExtractedDocument(budget.text(), budget.truncated(), List.of());
    }

    static ExtractedDocument xlsx(Path file, TextBudget budget) throws IOException, SAXException, OpenXML4JException {
        try (OPCPackage pkg = OPCPackage.open(file.toFile(), PackageAccess.READ)) {
            XSSFReader reader = new XSSFReader(pkg);
            ReadOnlySharedStringsTable strings = new ReadOnlySharedStringsTable(pkg, false);
            StylesTable styles = reader.getStylesTable();
            DataFormatter formatter = new DataFormatter(Locale.US);
            XSSFReader.SheetIterator sheets = reader.getSheetIterator();
            try {
                while (sheets.hasNext()) {
                    try (InputStream sheet = sheets.next()) {
                        if (budget.last() != 0 && budget.last() != '\n') budget.append('\n');
                        budget.append("# Sheet: " + sheets.getSheetName() + "\n");
                        parse(sheet, new XSSFSheetXMLHandler(styles, null, strings, new CsvRows(budget), formatter, false));
                    }
                }
            } catch (TextBudget.Stop stop) {
                if (stop.timeUp) throw stop;
            }
        }
        return new ExtractedDocument(budget.text(), budget.truncated(), List.of());
    }

    private static void parse(InputStream in, DefaultHandler handler) throws IOException, SAXException {
        XMLReader xml;
        try {
            xml = XMLHelper.newXMLReader();
        } catch (ParserConfigurationException e) {
            throw new SAXException(e);
        }
        xml.setContentHandler(handler);
        xml.parse(new InputSource(in));
    }

    /**
     * The main part of a docx: runs' text, tabs and breaks; a paragraph per line; table rows as
     * CSV-like lines (cells comma-separated, quoted when needed). VML fallbacks are skipped, as they
     * repeat what the drawing before them holds.
     */
    private static final class WordHandler extends DefaultHandler {
        private final TextBudget budget;
        private final List<String> cells = new ArrayList<>();
        private final StringBuilder cell = new StringBuilder();
        private int tableDepth;
        private int fallbackDepth;
        private boolean inText;

        WordHandler(TextBudget budget) {
            this.budget = budget;
        }

        @Override
        public void startElement(String uri, String localName, String qName, Attributes attributes) {
            budget.checkTime();
            if (localName.equals("Fallback")) fallbackDepth++;
            if (fallbackDepth > 0) return;
            switch (localName) {
                case "t" -> inText = true;
                case "tab" -> write("\t");
                case "br", "cr" -> write(tableDepth > 0 ? " " : "\n");
                case "tbl" -> tableDepth++;
                case "tr" -> {
                    if (tableDepth == 1) cells.clear();
                }
                case "tc" -> {
                    if (tableDepth == 1) cell.setLength(0);
                }
                default -> {
                }
            }
        }

        @Override
        public void endElement(String uri, String localName, String qName) {
            if (localName.equals("Fallback")) {
                fallbackDepth--;
                return;
            }
            if (fallbackDepth > 0) return;
            switch (localName) {
                case "t" -> inText = false;
                case "p" -> write(tableDepth > 0 ? " " : "\n");
                case "tc" -> {
                    if (tableDepth == 1) cells.add(cell.toString().strip());
                }
                case "tr" -> {
                    if (tableDepth == 1) budget.append(CsvRows.line(cells) + "\n");
                }
                case "tbl" -> tableDepth--;
                default -> {
                }
            }
        }

        @Override
        public void characters(char[] ch, int start, int length) {
            if (inText && fallbackDepth == 0) write(new String(ch, start, length));
        }

        private void write(String s) {
            if (tableDepth == 0) {
                budget.append(s);
                return;
            }
            budget.checkTime();
            cell.append(s);
            // A cell is kept whole to quote it, but never grows past what the budget could still take.
            if (cell.length() > budget.room()) budget.append(cell);
        }
    }

    /** One sheet's rows as CSV-like lines; gaps between cells are kept as empty fields, empty rows are skipped. */
    static final class CsvRows implements XSSFSheetXMLHandler.SheetContentsHandler {
        private final TextBudget budget;
        private static final int MAX_COLUMN = 16_383;
        private final List<String> row = new ArrayList<>();
        private long rowChars;

        CsvRows(TextBudget budget) {
            this.budget = budget;
        }

        @Override
        public void startRow(int rowNum) {
            budget.checkTime();
            row.clear();
            rowChars = 0;
        }

        @Override
        public void endRow(int rowNum) {
            if (!row.isEmpty()) budget.append(line(row) + "\n");
        }

        @Override
        public void cell(String reference, String formattedValue, XSSFComment comment) {
            int column = reference == null ? row.size() : new CellReference(reference).getCol();
            if (column < row.size() || column > MAX_COLUMN) column = row.size();
            while (row.size() < column) row.add("");
            String value = formattedValue == null ? "" : formattedValue;
            row.add(value);
            rowChars += value.length() + 1;
            // A row is kept whole to join it, but never grows past what the budget could still take.
            if (rowChars > budget.room()) budget.append(line(row));
        }

        static String line(List<String> fields) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < fields.size(); i++) {
                if (i > 0) line.append(',');
                String f = fields.get(i);
                if (f.indexOf(',') >= 0 || f.indexOf('"') >= 0 || f.indexOf('\n') >= 0 || f.indexOf('\r') >= 0) {
                    line.append('"').append(f.replace("\"", "\"\"")).append('"');
                } else {
                    line.append(f);
                }
            }
            return line.toString();
        }
    }
}
