package ai.sentx.content;

import ai.sentx.domain.chat.ContentPart;
import ai.sentx.domain.files.ExtractedDocument;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.contentstream.operator.Operator;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.io.MemoryUsageSetting;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.apache.pdfbox.rendering.PageDrawer;
import org.apache.pdfbox.rendering.PageDrawerParameters;
import org.apache.pdfbox.text.PDFTextStripper;

/** PDF text with PDFBox, and images of the first pages; streams spill to a bounded temporary file. */
final class PdfText {
    private static final System.Logger LOG = System.getLogger(PdfText.class.getName());

    private PdfText() {
    }

    static ExtractedDocument read(Path file, boolean pageImages, ReaderLimits limits, TextBudget budget) throws IOException {
        MemoryUsageSetting memory = MemoryUsageSetting.setupMixed(limits.pdfMemoryBytes(), limits.pdfScratchBytes());
        try (PDDocument document = Loader.loadPDF(file.toFile(), memory.streamCache)) {
            int pages = document.getNumberOfPages();
            requireReadablePages(document, Math.min(pages, limits.maxPages()), budget);
            try {
                BoundedStripper stripper = new BoundedStripper(budget);
                stripper.setEndPage(Math.min(pages, limits.maxPages()));
                stripper.writeText(document, budget.writer());
            } catch (TextBudget.Stop stop) {
                if (stop.timeUp) throw stop;
            }
            if (pages > limits.maxPages()) budget.markTruncated();
            List<ContentPart.Image> images = pageImages ? render(document, limits, budget) : List.of();
            return new ExtractedDocument(budget.text(), budget.truncated(), images);
        }
    }

    /**
     * PDFBox stands an empty page in for a page object it could not parse (one nested past its
     * recursion limit, say) and logs the error; such a document is damaged, not blank.
     */
    private static void requireReadablePages(PDDocument document, int pages, TextBudget budget) throws IOException {
        int i = 0;
        for (PDPage page : document.getPages()) {
            if (i++ >= pages) break;
            budget.checkTime();
            COSDictionary dict = page.getCOSObject();
            if (dict.size() <= 1) throw new IOException("page " + i + " could not be parsed");
        }
    }

    private static List<ContentPart.Image> render(PDDocument document, ReaderLimits limits, TextBudget budget) {
        PDFRenderer renderer = new BoundedRenderer(document, budget);
        renderer.setSubsamplingAllowed(true);
        int count = Math.min(document.getNumberOfPages(), limits.maxPageImages());
        List<ContentPart.Image> images = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            PDRectangle box = document.getPage(i).getCropBox();
            double area = (double) box.getWidth() * box.getHeight();
            if (!(area > 0)) break;
            float scale = (float) Math.min(limits.pageImageDpi() / 72.0, Math.sqrt(limits.maxPageImagePixels() / area));
            try {
                BufferedImage image = renderer.renderImage(i, scale, ImageType.RGB);
                ByteArrayOutputStream png = new ByteArrayOutputStream();
                ImageIO.write(image, "png", png);
                images.add(new ContentPart.Image("image/png", png.toByteArray(), null));
            } catch (IOException | RuntimeException e) {
                if (e instanceof TextBudget.Stop stop && stop.timeUp) throw stop;
                // The text is what matters; a page that will not render ends the images, not the read.
                LOG.log(System.Logger.Level.WARNING, "PDF page image not rendered: {0}", e.getClass().getSimpleName());
                break;
            }
        }
        return images;
    }

    /** Checks the clock before every content-stream operator, so a hostile page cannot run on. */
    private static final class BoundedStripper extends PDFTextStripper {
        private final TextBudget budget;

        BoundedStripper(TextBudget budget) {
            this.budget = budget;
        }

        @Override
        protected void processOperator(Operator operator, List<COSBase> operands) throws IOException {
            budget.checkTime();
            super.processOperator(operator, operands);
        }
    }

    private static final class BoundedRenderer extends PDFRenderer {
        private final TextBudget budget;

        BoundedRenderer(PDDocument document, TextBudget budget) {
            super(document);
            this.budget = budget;
        }

        @Override
        protected PageDrawer createPageDrawer(PageDrawerParameters parameters) throws IOException {
            return new PageDrawer(parameters) {
                @Override
                protected void processOperator(Operator operator, List<COSBase> operands) throws IOException {
                    budget.checkTime();
                    super.processOperator(operator, operands);
                }
            };
        }
    }
}
