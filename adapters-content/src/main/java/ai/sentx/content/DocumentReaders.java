package ai.sentx.content;

import ai.sentx.domain.files.ExtractedDocument;
import ai.sentx.domain.files.FileFormat;
import ai.sentx.port.DocumentReader;
import ai.sentx.port.UnreadableDocumentException;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.nio.file.Path;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;
import org.apache.poi.openxml4j.util.ZipSecureFile;

/**
 * Reads pdf (PDFBox), docx and xlsx (POI, streamed) and csv / txt / md (UTF-8) into text, within
 * {@link ReaderLimits}. Thread-safe.
 *
 * <p>Each document is read on a fresh worker thread with a fixed stack, so deep nesting ends in a
 * {@link StackOverflowError} there, which is caught; the caller waits at most the deadline, then
 * interrupts the worker and gives up. The worker also checks the clock between PDF operators, XML
 * elements and text chunks, so an abandoned read stops soon after. Every failure for bad input —
 * broken, encrypted, nested, bombed, too slow, too large — is an {@link UnreadableDocumentException}
 * whose message is short, safe to show the client and never names a path.
 *
 * <p>POI's zip-bomb guards ({@link ZipSecureFile}) are process-wide: building a reader sets them
 * from its limits for every POI user in the JVM.
 */
public final class DocumentReaders implements DocumentReader {
    private final ReaderLimits limits;

    /** A reader with {@link ReaderLimits#defaults()}. */
    public DocumentReaders() {
        this(ReaderLimits.defaults());
    }

    /**
     * A reader with the given limits.
     *
     * @throws NullPointerException if {@code limits} is null
     */
    public DocumentReaders(ReaderLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
        ZipSecureFile.setMinInflateRatio(limits.minInflateRatio());
        ZipSecureFile.setMaxEntrySize(limits.maxZipEntryBytes());
    }

    /**
     * {@inheritDoc}
     *
     * @param format     a {@link FileFormat.Kind#DOCUMENT} or {@link FileFormat.Kind#TEXT} format; not null
     * @param file       the file, already detected as {@code format}; not null
     * @param pageImages whether to render images of the first pages (PDF only; ignored otherwise)
     * @throws NullPointerException     if {@code format} or {@code file} is null
     * @throws IllegalArgumentException if {@code format} is an image or a video
     */
    @Override
    public ExtractedDocument read(FileFormat format, Path file, boolean pageImages) throws UnreadableDocumentException {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(file, "file");
        String what = switch (format) {
            case PDF -> "PDF";
            case DOCX -> "Word document";
            case XLSX -> "spreadsheet";
            case CSV, TXT, MD -> "text file";
            case PNG, JPEG, WEBP, GIF, MP4, WEBM, MOV ->
                    throw new IllegalArgumentException("not a document format: " + format);
        };
        long deadline = System.nanoTime() + limits.deadline().toNanos();
        TextBudget budget = new TextBudget(limits.maxTextChars(), deadline);
        Callable<ExtractedDocument> task = () -> switch (format) {
            case PDF -> PdfText.read(file, pageImages, limits, budget);
            case DOCX -> OfficeText.docx(file, budget);
            case XLSX -> OfficeText.xlsx(file, budget);
            default -> PlainText.read(file, budget);
        };
        return onWorker(task, what);
    }

    private ExtractedDocument onWorker(Callable<ExtractedDocument> task, String what) throws UnreadableDocumentException {
        CompletableFuture<ExtractedDocument> result = new CompletableFuture<>();
        Thread worker = new Thread(null, () -> {
            try {
                result.complete(task.call());
            } catch (Throwable t) {
                // Includes StackOverflowError and OutOfMemoryError: this thread's stack is gone, the caller decides.
                result.completeExceptionally(t);
            }
        }, "sentx-document-reader", limits.workerStackBytes());
        worker.setDaemon(true);
        worker.start();
        try {
            return result.get(limits.deadline().toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            worker.interrupt();
            throw new UnreadableDocumentException("The " + what + " took too long to read.");
        } catch (InterruptedException e) {
            worker.interrupt();
            Thread.currentThread().interrupt();
            throw new UnreadableDocumentException("Reading the " + what + " was interrupted.", e);
        } catch (ExecutionException e) {
            throw unreadable(e.getCause(), what);
        }
    }

    private static UnreadableDocumentException unreadable(Throwable failure, String what) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof InvalidPasswordException) {
                return new UnreadableDocumentException("The PDF is password-protected.", failure);
            }
            if (t instanceof StackOverflowError) {
                return new UnreadableDocumentException("The " + what + " is nested too deeply to read.", failure);
            }
            if (t instanceof OutOfMemoryError) {
                return new UnreadableDocumentException("The " + what + " is too large to read.", failure);
            }
            if (t instanceof TextBudget.Stop stop && stop.timeUp) {
                return new UnreadableDocumentException("The " + what + " took too long to read.", failure);
            }
            if (t instanceof java.nio.charset.CharacterCodingException) {
                return new UnreadableDocumentException("The " + what + " is not valid UTF-8.", failure);
            }
            String message = t.getMessage();
            if (message != null && (message.startsWith("Zip bomb detected") || message.contains("MAX_FILE_COUNT"))) {
                return new UnreadableDocumentException("The " + what + " expands to more data than allowed.", failure);
            }
        }
        if (failure instanceof Error error && !(failure instanceof VirtualMachineError)) {
            // A linkage or assertion error is a fault of this program, not of the document.
            throw error;
        }
        return new UnreadableDocumentException("The " + what + " is damaged or not a valid " + what + ".", failure);
    }
}
