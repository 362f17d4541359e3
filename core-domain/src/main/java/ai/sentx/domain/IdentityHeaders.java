package ai.sentx.domain;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Decodes the end-user identity headers (CONTRACT §5). Header values arrive as Latin-1; a value
 * is percent-decoded as UTF-8 ({@code Al%C3%A9x} → {@code Aléx}), and Latin-1 characters sent
 * unencoded keep their meaning.
 */
public final class IdentityHeaders {
    private IdentityHeaders() {
    }

    /**
     * @param header the header's name, for the error message
     * @param raw    the value as received, or {@code null}
     * @return the decoded value, or {@code null} when absent or empty
     * @throws FailureException {@code INVALID_PARAMETER} naming the header for malformed
     *                          percent-encoding, invalid UTF-8 or more than 256 characters
     */
    public static String decode(String header, String raw) {
        if (raw == null) return null;
        String trimmed = raw.strip();
        if (trimmed.isEmpty()) return null;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(trimmed.length());
        for (int i = 0; i < trimmed.length(); i++) {
            char c = trimmed.charAt(i);
            if (c == '%') {
                if (i + 2 >= trimmed.length()) throw malformed(header);
                int hi = Character.digit(trimmed.charAt(i + 1), 16);
                int lo = Character.digit(trimmed.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) throw malformed(header);
                bytes.write(hi << 4 | lo);
                i += 2;
            } else if (c > 0xFF) {
                throw malformed(header);
            } else {
                byte[] utf8 = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(utf8, 0, utf8.length);
            }
        }
        String decoded;
        try {
            decoded = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw Failure.of(Problem.INVALID_PARAMETER,
                    "The " + header + " header is not valid UTF-8 after percent-decoding.", header).exception();
        }
        return checkLength(header, decoded);
    }

    /**
     * Checks a body field's identity value.
     *
     * @return the value, or {@code null} when absent or empty
     * @throws FailureException {@code INVALID_PARAMETER} for more than 256 characters
     */
    public static String checkLength(String param, String value) {
        if (value == null || value.isEmpty()) return null;
        if (value.codePointCount(0, value.length()) > Limits.IDENTITY_MAX_CHARS) {
            throw Failure.of(Problem.INVALID_PARAMETER,
                    param + " must be at most " + Limits.IDENTITY_MAX_CHARS + " characters.", param).exception();
        }
        return value;
    }

    private static FailureException malformed(String header) {
        return Failure.of(Problem.INVALID_PARAMETER,
                "The " + header + " header has malformed percent-encoding; percent-encode non-Latin-1 values as UTF-8.",
                header).exception();
    }
}
