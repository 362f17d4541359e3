package ai.sentx.domain.chat;

import ai.sentx.domain.Failure;
import ai.sentx.domain.FailureException;
import ai.sentx.domain.Limits;
import ai.sentx.domain.Problem;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;

/**
 * The URL policy of CONTRACT §3/§8: only {@code data:} URLs are accepted in content; anything
 * else (http, https, file, ftp, s3, …) is refused without being fetched.
 */
public final class DataUrls {
    private DataUrls() {
    }

    /** A parsed {@code data:} URL. */
    public record DataUrl(String mediaType, boolean base64, String payload) {
    }

    /**
     * Parses {@code url} as a data URL.
     *
     * @throws FailureException {@code UNSUPPORTED_URL_SCHEME} for any other scheme,
     *                          {@code INVALID_IMAGE} for a malformed data URL
     */
    public static DataUrl parse(String url, String param) {
        if (url.length() < 5 || !url.regionMatches(true, 0, "data:", 0, 5)) {
            throw Failure.of(Problem.UNSUPPORTED_URL_SCHEME,
                    "Only data: URLs are supported in content; remote URLs are rejected. Use inline base64 or the Files API.",
                    param).exception();
        }
        int comma = url.indexOf(',');
        if (comma < 0) {
            throw Failure.of(Problem.INVALID_IMAGE, "Malformed data: URL (no comma).", param).exception();
        }
        String meta = url.substring(5, comma);
        boolean base64 = false;
        String mediaType = meta;
        if (meta.toLowerCase(Locale.ROOT).endsWith(";base64")) {
            base64 = true;
            mediaType = meta.substring(0, meta.length() - 7);
        }
        int semicolon = mediaType.indexOf(';');
        if (semicolon >= 0) mediaType = mediaType.substring(0, semicolon);
        return new DataUrl(mediaType.strip().toLowerCase(Locale.ROOT), base64, url.substring(comma + 1));
    }

    /**
     * Decodes an inline image: a base64 data URL of png, jpeg, webp or gif whose bytes are that
     * image type and at most 10 MB decoded.
     *
     * @throws FailureException {@code UNSUPPORTED_URL_SCHEME}, {@code INVALID_IMAGE} or
     *                          {@code IMAGE_TOO_LARGE}
     */
    public static ContentPart.Image decodeImage(String url, String param) {
        return decodeImage(url, null, param);
    }

    /** As {@link #decodeImage(String, String)}, keeping the client's {@code detail}. */
    public static ContentPart.Image decodeImage(String url, String detail, String param) {
        DataUrl data = parse(url, param);
        if (!data.base64()) {
            throw Failure.of(Problem.INVALID_IMAGE, "Inline images must be base64 data URLs.", param).exception();
        }
        String payload = data.payload();
        long estimate = (long) payload.length() * 3 / 4;
        if (estimate > Limits.INLINE_IMAGE_MAX_BYTES + 3L) {
            throw tooLarge(param);
        }
        byte[] bytes;
        try {
            bytes = decodeBase64(payload);
        } catch (IllegalArgumentException e) {
            throw Failure.of(Problem.INVALID_IMAGE, "The image's base64 data is invalid.", param).exception();
        }
        if (bytes.length > Limits.INLINE_IMAGE_MAX_BYTES) throw tooLarge(param);
        String sniffed = ImageTypes.sniff(bytes);
        if (sniffed == null) {
            throw Failure.of(Problem.INVALID_IMAGE,
                    "The image is not a PNG, JPEG, WebP or GIF image.", param).exception();
        }
        return new ContentPart.Image(sniffed, bytes, detail);
    }

    /**
     * Strict base64 (standard alphabet, correct padding); line breaks and spaces that encoders
     * insert are skipped.
     *
     * @throws IllegalArgumentException if {@code payload} is not valid base64
     */
    public static byte[] decodeBase64(String payload) {
        String compact = payload;
        for (int i = 0; i < payload.length(); i++) {
            char c = payload.charAt(i);
            if (c == '\r' || c == '\n' || c == ' ' || c == '\t') {
                StringBuilder sb = new StringBuilder(payload.length());
                for (int j = 0; j < payload.length(); j++) {
                    char d = payload.charAt(j);
                    if (d != '\r' && d != '\n' && d != ' ' && d != '\t') sb.append(d);
                }
                compact = sb.toString();
                break;
            }
        }
        return Base64.getDecoder().decode(compact.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static FailureException tooLarge(String param) {
        return Failure.of(Problem.IMAGE_TOO_LARGE,
                "Inline images may be at most 10 MB decoded; use the Files API for larger files.", param).exception();
    }
}
