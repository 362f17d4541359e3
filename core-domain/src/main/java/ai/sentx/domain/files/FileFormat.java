package ai.sentx.domain.files;

import java.util.Locale;
import java.util.Optional;

/**
 * The formats SentX accepts (CONTRACT §8), judged from a file's bytes. Each has the media type
 * it is served and sent to models with, and the kind that decides what a model receives.
 */
public enum FileFormat {
    PNG("image/png", Kind.IMAGE),
    JPEG("image/jpeg", Kind.IMAGE),
    WEBP("image/webp", Kind.IMAGE),
    GIF("image/gif", Kind.IMAGE),
    MP4("video/mp4", Kind.VIDEO),
    WEBM("video/webm", Kind.VIDEO),
    MOV("video/quicktime", Kind.VIDEO),
    PDF("application/pdf", Kind.DOCUMENT),
    DOCX("application/vnd.openxmlformats-officedocument.wordprocessingml.document", Kind.DOCUMENT),
    XLSX("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", Kind.DOCUMENT),
    CSV("text/csv", Kind.TEXT),
    TXT("text/plain", Kind.TEXT),
    MD("text/markdown", Kind.TEXT);

    /** What a model receives for a file of this format. */
    public enum Kind {
        /** Vision input. */
        IMAGE,
        /** Video input, for backends that accept it. */
        VIDEO,
        /** Extracted text (and page images for PDFs), or the document itself for backends that read it. */
        DOCUMENT,
        /** UTF-8 text, sent as text. */
        TEXT
    }

    private final String mediaType;
    private final Kind kind;

    FileFormat(String mediaType, Kind kind) {
        this.mediaType = mediaType;
        this.kind = kind;
    }

    public String mediaType() {
        return mediaType;
    }

    public Kind kind() {
        return kind;
    }

    /** The usual file-name extension, without the dot ({@code md}, {@code mov}). */
    public String extension() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The format stored under {@code name} (its constant name, any case). */
    public static Optional<FileFormat> named(String name) {
        if (name == null) return Optional.empty();
        for (FileFormat f : values()) {
            if (f.name().equalsIgnoreCase(name)) return Optional.of(f);
        }
        return Optional.empty();
    }
}
