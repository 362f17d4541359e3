package ai.sentx.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImageTokensTest {
    @ParameterizedTest(name = "{0}x{1} -> {2}")
    @CsvSource({
            "1024, 1024, 765",  // scaled to 768x768: 2x2 tiles
            "512, 512, 255",    // one tile
            "2048, 4096, 1105", // fits to 1024x2048, then 768x1536: 2x3 tiles
            "4096, 2048, 1105",
            "768, 768, 765",    // shorter side already 768: not scaled
            "513, 512, 425",    // two tiles
            "1, 1, 255",
            "3000, 2000, 1105", // 2048x1365, then 1152x768: 3x2 tiles
            "4000, 100, 765",   // 2048x51: 4x1 tiles
            "640, 480, 425"})   // 2x1 tiles
    void pricesImagesByTheHighDetailTileRule(int width, int height, long tokens) {
        assertEquals(tokens, ImageTokens.highDetailTokens(width, height));
    }

    @Test
    void readsPngSize() throws IOException {
        assertEquals(Optional.of(new ImageTokens.Dimensions("PNG", 7, 5)),
                ImageTokens.dimensions(encode("png", 7, 5, BufferedImage.TYPE_INT_ARGB)));
    }

    @Test
    void readsGifSize() throws IOException {
        assertEquals(Optional.of(new ImageTokens.Dimensions("GIF", 9, 4)),
                ImageTokens.dimensions(encode("gif", 9, 4, BufferedImage.TYPE_BYTE_INDEXED)));
    }

    @Test
    void readsJpegSize_fromItsStartOfFrame_afterOtherSegments() throws IOException {
        byte[] jpeg = encode("jpeg", 33, 17, BufferedImage.TYPE_INT_RGB);

        assertEquals(Optional.of(new ImageTokens.Dimensions("JPEG", 33, 17)), ImageTokens.dimensions(jpeg));
    }

    @Test
    void readsWebpSize_fromVp8Vp8lAndVp8xHeaders() {
        assertEquals(Optional.of(new ImageTokens.Dimensions("WebP", 640, 480)), ImageTokens.dimensions(webpVp8(640, 480)));
        assertEquals(Optional.of(new ImageTokens.Dimensions("WebP", 300, 200)), ImageTokens.dimensions(webpVp8l(300, 200)));
        assertEquals(Optional.of(new ImageTokens.Dimensions("WebP", 4000, 3000)),
                ImageTokens.dimensions(webpVp8x(4000, 3000)));
    }

    @Test
    void countsAnImageFromItsBytes() throws IOException {
        assertEquals(255, ImageTokens.tokens(encode("png", 7, 5, BufferedImage.TYPE_INT_ARGB)));
        assertEquals(1105, ImageTokens.tokens(webpVp8x(2048, 4096)));
    }

    @Test
    void counts765_whenTheSizeCannotBeRead() throws IOException {
        byte[] png = encode("png", 7, 5, BufferedImage.TYPE_INT_ARGB);

        assertEquals(765, ImageTokens.tokens(new byte[0]));
        assertEquals(765, ImageTokens.tokens("not an image at all, just text".getBytes()));
        assertEquals(765, ImageTokens.tokens(Arrays.copyOf(png, 20)));
        assertEquals(765, ImageTokens.tokens(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 16}));
        assertEquals(765, ImageTokens.tokens(Arrays.copyOf(webpVp8(640, 480), 24)));
    }

    private static byte[] encode(String format, int width, int height, int type) throws IOException {
        BufferedImage image = new BufferedImage(width, height, type);
        image.setRGB(0, 0, 0xFF336699);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(image, format, out), "no ImageIO writer for " + format);
        return out.toByteArray();
    }

    private static byte[] riff(String chunk, byte[] payload) {
        byte[] b = new byte[20 + payload.length];
        put(b, 0, "RIFF");
        le32(b, 4, b.length - 8);
        put(b, 8, "WEBP");
        put(b, 12, chunk);
        le32(b, 16, payload.length);
        System.arraycopy(payload, 0, b, 20, payload.length);
        return b;
    }

    private static byte[] webpVp8(int width, int height) {
        byte[] p = new byte[10];
        p[0] = 0x10; // frame tag: key frame
        p[3] = (byte) 0x9D;
        p[4] = 0x01;
        p[5] = 0x2A;
        p[6] = (byte) width;
        p[7] = (byte) (width >>> 8);
        p[8] = (byte) height;
        p[9] = (byte) (height >>> 8);
        return riff("VP8 ", p);
    }

    private static byte[] webpVp8l(int width, int height) {
        byte[] p = new byte[10];
        p[0] = 0x2F;
        int bits = (width - 1) | ((height - 1) << 14);
        p[1] = (byte) bits;
        p[2] = (byte) (bits >>> 8);
        p[3] = (byte) (bits >>> 16);
        p[4] = (byte) (bits >>> 24);
        return riff("VP8L", p);
    }

    private static byte[] webpVp8x(int width, int height) {
        byte[] p = new byte[10];
        int w = width - 1;
        int h = height - 1;
        p[4] = (byte) w;
        p[5] = (byte) (w >>> 8);
        p[6] = (byte) (w >>> 16);
        p[7] = (byte) h;
        p[8] = (byte) (h >>> 8);
        p[9] = (byte) (h >>> 16);
        return riff("VP8X", p);
    }

    private static void put(byte[] b, int at, String ascii) {
        for (int i = 0; i < ascii.length(); i++) b[at + i] = (byte) ascii.charAt(i);
    }

    private static void le32(byte[] b, int at, int v) {
        for (int i = 0; i < 4; i++) b[at + i] = (byte) (v >>> (8 * i));
    }
}
