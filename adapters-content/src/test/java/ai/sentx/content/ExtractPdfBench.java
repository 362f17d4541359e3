package ai.sentx.content;

import ai.sentx.domain.files.ExtractedDocument;
import ai.sentx.domain.files.FileFormat;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Measures {@link DocumentReaders} on a generated 100-page PDF of about 300 words a page: the median
 * wall time of several text extractions (after warm-up), one read with four page images, and the
 * peak heap. Run by {@code bench/extract-pdf.sh}; not a test.
 */
public final class ExtractPdfBench {
    private ExtractPdfBench() {
    }

    /** Arguments: runs (default 7), pages (default 100), words per page (default 300). */
    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        int pages = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        int words = args.length > 2 ? Integer.parseInt(args[2]) : 300;
        Path pdf = Files.createTempFile("sentx-bench-", ".pdf");
        try {
            Files.write(pdf, Samples.pdf(pages, words));
            DocumentReaders reader = new DocumentReaders();
            long coldStart = System.nanoTime();
            ExtractedDocument first = reader.read(FileFormat.PDF, pdf, false);
            double coldMs = (System.nanoTime() - coldStart) / 1e6;
            for (int i = 0; i < 2; i++) reader.read(FileFormat.PDF, pdf, false);
            double[] ms = new double[runs];
            for (int i = 0; i < runs; i++) {
                long start = System.nanoTime();
                reader.read(FileFormat.PDF, pdf, false);
                ms[i] = (System.nanoTime() - start) / 1e6;
            }
            Arrays.sort(ms);
            long imagesStart = System.nanoTime();
            ExtractedDocument withImages = reader.read(FileFormat.PDF, pdf, true);
            double imagesMs = (System.nanoTime() - imagesStart) / 1e6;
            long pngBytes = withImages.pageImages().stream().mapToLong(i -> i.bytes().length).sum();
            System.out.printf(Locale.ROOT, "pdf: %d pages, %d bytes, %d chars of text%n", pages, Files.size(pdf), first.text().length());
            System.out.printf(Locale.ROOT, "text, first (cold) read: %.0f ms%n", coldMs);
            System.out.printf(Locale.ROOT, "text, median of %d warm reads: %.0f ms (min %.0f, max %.0f)%n",
                    runs, ms[runs / 2], ms[0], ms[runs - 1]);
            System.out.printf(Locale.ROOT, "text + %d page images: %.0f ms, %d PNG bytes%n",
                    withImages.pageImages().size(), imagesMs, pngBytes);
            System.out.printf(Locale.ROOT, "peak heap used (sum of pool peaks): %d MiB, max heap %d MiB%n",
                    peakHeap() >> 20, Runtime.getRuntime().maxMemory() >> 20);
        } finally {
            Files.deleteIfExists(pdf);
        }
    }

    private static long peakHeap() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) peak += pool.getPeakUsage().getUsed();
        }
        return peak;
    }
}
