package ai.sentx.domain.chat;

import ai.sentx.domain.files.FileFormat;
import java.util.List;
import java.util.Objects;

/** One part of a message's content, as the client sent it (URLs not yet checked). */
public sealed interface ContentPart {
    /** Plain text. */
    record Text(String text) implements ContentPart {
        public Text {
            Objects.requireNonNull(text, "text");
        }
    }

    /** {@code image_url}: must be a {@code data:} URL (checked by the use case). */
    record ImageUrl(String url, String detail) implements ContentPart {
        public ImageUrl {
            Objects.requireNonNull(url, "url");
        }
    }

    /** {@code input_file} / {@code file{file_id}}: a reference to an uploaded file. */
    record FileRef(String fileId) implements ContentPart {
        public FileRef {
            Objects.requireNonNull(fileId, "fileId");
        }
    }

    /** {@code file{file_data, filename}}: an inline file, usually a data URL. */
    record FileData(String data, String filename) implements ContentPart {
        public FileData {
            Objects.requireNonNull(data, "data");
        }
    }

    /** {@code input_audio} or another part type the platform accepts but cannot use. */
    record Unsupported(String type) implements ContentPart {
    }

    /**
     * A decoded inline image, ready for the model.
     *
     * @param detail OpenAI's {@code low}, {@code high} or {@code auto}; {@code null} when not sent
     */
    record Image(String mediaType, byte[] bytes, String detail) implements ContentPart {
        public Image {
            Objects.requireNonNull(mediaType, "mediaType");
            Objects.requireNonNull(bytes, "bytes");
        }

        public Image(String mediaType, byte[] bytes) {
            this(mediaType, bytes, null);
        }

        /** Whether the client asked for the low-detail (flat-priced) rendering. */
        public boolean lowDetail() {
            return "low".equals(detail);
        }
    }

    /**
     * A document or text file resolved for the model (from the Files API or inline
     * {@code file_data}): its extracted text, images of its first pages where the backend takes
     * images, and its bytes when the backend reads this format natively.
     *
     * @param nativeBytes the file's bytes for a backend that reads {@code format} itself, else {@code null}
     */
    record Document(FileFormat format, String filename, String text, List<Image> pageImages, byte[] nativeBytes)
            implements ContentPart {
        public Document {
            Objects.requireNonNull(format, "format");
            Objects.requireNonNull(filename, "filename");
            Objects.requireNonNull(text, "text");
            pageImages = List.copyOf(pageImages);
        }
    }

    /** A video for a backend that accepts video. */
    record Video(FileFormat format, String filename, byte[] bytes) implements ContentPart {
        public Video {
            Objects.requireNonNull(format, "format");
            Objects.requireNonNull(filename, "filename");
            Objects.requireNonNull(bytes, "bytes");
        }
    }
}
