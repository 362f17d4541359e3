package ai.sentx.content;

import java.time.Duration;
import java.util.Objects;

/**
 * The bounds {@link DocumentReaders} keeps to for one document. Every hostile input (decompression
 * bombs, deeply nested or huge PDFs, endless spreadsheets) ends at one of these limits.
 *
 * @param maxTextChars       text kept per document; beyond it the text is cut and marked truncated
 * @param maxPages           PDF pages whose text is read; later pages are skipped (and the text marked truncated)
 * @param maxPageImages      PDF pages rendered as images when images are asked for
 * @param pageImageDpi       resolution of rendered pages
 * @param maxPageImagePixels pixels per rendered page; a larger page is rendered at a lower resolution
 * @param deadline           wall-clock time per document; after it the read is abandoned
 * @param workerStackBytes   stack of the worker thread that reads; deep nesting overflows it and is refused
 * @param minInflateRatio    smallest compressed/uncompressed ratio an Office zip entry may have (POI zip-bomb guard)
 * @param maxZipEntryBytes   largest uncompressed Office zip entry that is read to its end
 * @param pdfMemoryBytes     heap a PDF's parsed streams may use before they spill to a temporary file
 * @param pdfScratchBytes    most bytes (heap plus temporary file) a PDF's parsed streams may use at all
 */
public record ReaderLimits(
        int maxTextChars,
        int maxPages,
        int maxPageImages,
        int pageImageDpi,
        long maxPageImagePixels,
        Duration deadline,
        long workerStackBytes,
        double minInflateRatio,
        long maxZipEntryBytes,
        long pdfMemoryBytes,
        long pdfScratchBytes) {

    /**
     * Validates the limits.
     *
     * @throws NullPointerException     if {@code deadline} is null
     * @throws IllegalArgumentException if a count or size is out of range
     */
    public ReaderLimits {
        Objects.requireNonNull(deadline, "deadline");
        positive("maxTextChars", maxTextChars);
        positive("maxPages", maxPages);
        if (maxPageImages < 0) throw new IllegalArgumentException("maxPageImages must be >= 0");
        if (pageImageDpi < 10 || pageImageDpi > 600) throw new IllegalArgumentException("pageImageDpi must be in 10..600");
        positive("maxPageImagePixels", maxPageImagePixels);
        if (deadline.isNegative() || deadline.isZero()) throw new IllegalArgumentException("deadline must be positive");
        if (workerStackBytes < 256 * 1024) throw new IllegalArgumentException("workerStackBytes must be >= 256 KiB");
        if (!(minInflateRatio >= 0 && minInflateRatio < 1)) throw new IllegalArgumentException("minInflateRatio must be in [0, 1)");
        positive("maxZipEntryBytes", maxZipEntryBytes);
        positive("pdfMemoryBytes", pdfMemoryBytes);
        if (pdfScratchBytes < pdfMemoryBytes) throw new IllegalArgumentException("pdfScratchBytes must be >= pdfMemoryBytes");
    }

    /**
     * Sane defaults: 1,000,000 characters, 500 pages of text, 4 page images at 96 dpi (at most 4 megapixels
     * each), 20 s per document, a 4 MiB worker stack, POI's 1% inflate ratio, 100 MiB per Office zip entry,
     * 16 MiB of heap and 256 MiB in all for a PDF's streams.
     */
    public static ReaderLimits defaults() {
        return new ReaderLimits(1_000_000, 500, 4, 96, 4_000_000L, Duration.ofSeconds(20), 4L * 1024 * 1024,
                0.01, 100L * 1024 * 1024, 16L * 1024 * 1024, 256L * 1024 * 1024);
    }

    /** These limits with another text limit. */
    public ReaderLimits withMaxTextChars(int chars) {
        return new ReaderLimits(chars, maxPages, maxPageImages, pageImageDpi, maxPageImagePixels, deadline,
                workerStackBytes, minInflateRatio, maxZipEntryBytes, pdfMemoryBytes, pdfScratchBytes);
    }

    /** These limits with another deadline. */
    public ReaderLimits withDeadline(Duration time) {
        return new ReaderLimits(maxTextChars, maxPages, maxPageImages, pageImageDpi, maxPageImagePixels, time,
                workerStackBytes, minInflateRatio, maxZipEntryBytes, pdfMemoryBytes, pdfScratchBytes);
    }

    private static void positive(String name, long value) {
        if (value <= 0) throw new IllegalArgumentException(name + " must be positive");
    }
}
