package ai.sentx.http;

import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A transport-neutral HTTP request, as the local server and the Lambda runtime hand it over.
 *
 * @param path          the raw (still percent-encoded) path, without the query
 * @param rawQuery      the raw query string, or {@code null}
 * @param headers       header values by lower-case name
 * @param body          the body stream (empty when there is none)
 * @param contentLength the declared length, or -1 when unknown (chunked)
 */
public record HttpRequest(String method, String path, String rawQuery, Map<String, List<String>> headers,
                          InputStream body, long contentLength) {
    public HttpRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(body, "body");
    }

    /** The first value of header {@code name} (any case), or {@code null}. */
    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.getFirst();
    }
}
