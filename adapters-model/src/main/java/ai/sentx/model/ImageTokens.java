package ai.sentx.model;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * What an image costs as model input, by OpenAI's high-detail rule, and the reading of an image's
 * pixel size from its leading bytes (PNG, GIF, JPEG, WebP) without decoding it.
 *
 * <p>The rule: an image larger than 2048×2048 is first scaled down to fit in that square; then,
 * if its shorter side is over 768 px, it is scaled down so that side is 768 px (scaled sizes are
 * rounded to whole pixels, halves up); it then costs {@code 85 + 170 × tiles}, where
 * {@code tiles} is the number of 512×512 squares needed to cover it. An image whose size cannot
 * be read costs {@value #UNREADABLE_IMAGE_TOKENS}, the price of a 1024×1024 image.
 */
public final class ImageTokens {
    /** The cost of an image whose size cannot be read. */
    public static final long UNREADABLE_IMAGE_TOKENS = 765;
    /** What an image costs when the client asks for {@code detail: "low"}: OpenAI's flat base price. */
    public static final long LOW_DETAIL_TOKENS = 85;
    private static final long BASE_TOKENS = 85;
    private static final long TILE_TOKENS = 170;
    private static final int MAX_SIDE = 2048;
    private static final int SHORT_SIDE = 768;
    private static final int TILE = 512;

    /**
     * An image's format and pixel size.
     *
     * @param format {@code PNG}, {@code GIF}, {@code JPEG} or {@code WebP}
     */
    public record Dimensions(String format, int width, int height) {
        public Dimensions {
            Objects.requireNonNull(format, "format");
            if (width <= 0 || height <= 0) throw new IllegalArgumentException("dimensions must be positive");
        }
    }

    private ImageTokens() {
    }

    /**
     * The input tokens of an image given as its encoded bytes.
     *
     * @throws NullPointerException if {@code bytes} is null
     */
    public static long tokens(byte[] bytes) {
        return dimensions(bytes).map(d -> highDetailTokens(d.width(), d.height())).orElse(UNREADABLE_IMAGE_TOKENS);
    }

    /**
     * The input tokens of a {@code width}×{@code height} image by the high-detail rule.
     *
     * @throws IllegalArgumentException if a side is not positive
     */
    public static long highDetailTokens(int width, int height) {
        if (width <= 0 || height <= 0) throw new IllegalArgumentException("dimensions must be positive");
        long w = width;
        long h = height;
        long longer = Math.max(w, h);
        if (longer > MAX_SIDE) {
            w = scale(w, MAX_SIDE, longer);
            h = scale(h, MAX_SIDE, longer);
        }
        long shorter = Math.min(w, h);
        if (shorter > SHORT_SIDE) {
            w = scale(w, SHORT_SIDE, shorter);
            h = scale(h, SHORT_SIDE, shorter);
        }
        long tiles = ceilDiv(w, TILE) * ceilDiv(h, TILE);
        return BASE_TOKENS + TILE_TOKENS * tiles;
    }

    /**
     * Reads the format and pixel size from the bytes of a PNG (IHDR), GIF (logical screen), JPEG
     * (first start-of-frame marker) or WebP ({@code VP8}, {@code VP8L} or {@code VP8X}) image. The
     * format is judged from the bytes, not from a declared media type.
     *
     * @return the dimensions, or empty when the bytes are not one of these formats, are truncated,
     *         or declare a zero size
     * @throws NullPointerException if {@code bytes} is null
     */
    public static Optional<Dimensions> dimensions(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        try {
            if (isPng(bytes)) return sized("PNG", be32(bytes, 16), be32(bytes, 20));
            if (isGif(bytes)) return sized("GIF", le16(bytes, 6), le16(bytes, 8));
            if (isJpeg(bytes)) return jpeg(bytes);
            if (isWebp(bytes)) return webp(bytes);
        } catch (IndexOutOfBoundsException truncated) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    private static Optional<Dimensions> sized(String format, long width, long height) {
        if (width <= 0 || height <= 0 || width > Integer.MAX_VALUE || height > Integer.MAX_VALUE) {
            return Optional.empty();
        }
        return Optional.of(new Dimensions(format, (int) width, (int) height));
    }

    private static boolean isPng(byte[] b) {
        return b.length >= 24 && u8(b, 0) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G'
                && b[12] == 'I' && b[13] == 'H' && b[14] == 'D' && b[15] == 'R';
    }

    private static boolean isGif(byte[] b) {
        return b.length >= 10 && b[0] == 'G' && b[1] == 'I' && b[2] == 'F' && b[3] == '8'
                && (b[4] == '7' || b[4] == '9') && b[5] == 'a';
    }

    private static boolean isJpeg(byte[] b) {
        return b.length >= 4 && u8(b, 0) == 0xFF && u8(b, 1) == 0xD8;
    }

    private static boolean isWebp(byte[] b) {
        return b.length >= 30 && b[0] == 'R' && b[1] == 'I' && b[2] == 'F' && b[3] == 'F'
                && b[8] == 'W' && b[9] == 'E' && b[10] == 'B' && b[11] == 'P';
    }

    /** Walks the marker segments to the first SOFn (C0–CF except DHT C4, JPG C8 and DAC CC). */
    private static Optional<Dimensions> jpeg(byte[] b) {
        int i = 2;
        while (i + 1 < b.length) {
            if (u8(b, i) != 0xFF) return Optional.empty();
            int marker = u8(b, i + 1);
            if (marker == 0xFF) { // fill byte
                i++;
                continue;
            }
            if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) { // markers without a length
                i += 2;
                continue;
            }
            if (marker == 0xD9 || marker == 0xDA) return Optional.empty(); // end of image, start of scan
            int length = be16(b, i + 2);
            if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
                return sized("JPEG", be16(b, i + 7), be16(b, i + 5));
            }
            if (length < 2) return Optional.empty();
            i += 2 + length;
        }
        return Optional.empty();
    }

    /** The first chunk after {@code RIFF....WEBP} sits at offset 12, its payload at 20. */
    private static Optional<Dimensions> webp(byte[] b) {
        String chunk = new String(b, 12, 4, StandardCharsets.US_ASCII);
        return switch (chunk) {
            case "VP8 " -> u8(b, 23) == 0x9D && u8(b, 24) == 0x01 && u8(b, 25) == 0x2A
                    ? sized("WebP", le16(b, 26) & 0x3FFF, le16(b, 28) & 0x3FFF)
                    : Optional.empty();
            case "VP8L" -> {
                if (u8(b, 20) != 0x2F) yield Optional.empty();
                long bits = le32(b, 21);
                yield sized("WebP", (bits & 0x3FFF) + 1, ((bits >>> 14) & 0x3FFF) + 1);
            }
            case "VP8X" -> sized("WebP", le24(b, 24) + 1, le24(b, 27) + 1);
            default -> Optional.empty();
        };
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    private static long scale(long side, long target, long reference) {
        return Math.max(1, (side * target + reference / 2) / reference);
    }

    private static int u8(byte[] b, int i) {
        return b[i] & 0xFF;
    }

    private static int be16(byte[] b, int i) {
        return (u8(b, i) << 8) | u8(b, i + 1);
    }

    private static long be32(byte[] b, int i) {
        return ((long) be16(b, i) << 16) | be16(b, i + 2);
    }

    private static int le16(byte[] b, int i) {
        return u8(b, i) | (u8(b, i + 1) << 8);
    }

    private static int le24(byte[] b, int i) {
        return le16(b, i) | (u8(b, i + 2) << 16);
    }

    private static long le32(byte[] b, int i) {
        return le16(b, i) | ((long) le16(b, i + 2) << 16);
    }
}
