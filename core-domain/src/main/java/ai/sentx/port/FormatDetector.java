package ai.sentx.port;

import ai.sentx.domain.files.FileFormat;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Tells a file's format from its bytes, never from its name (CONTRACT §8). Must be bounded in time
 * and memory for any input (zip bombs, polyglots, huge files).
 */
public interface FormatDetector {
    /**
     * The format of {@code file}, or empty when it is none of the supported ones (including text
     * that is not valid UTF-8, zips that are neither docx nor xlsx, and empty files).
     *
     * @param filename the client's name for it, only to tell csv / md / txt apart (may be {@code null})
     */
    Optional<FileFormat> detect(Path file, String filename);
}
