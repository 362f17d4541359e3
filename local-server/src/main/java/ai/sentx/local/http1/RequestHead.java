package ai.sentx.local.http1;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A parsed request line and header section (RFC 9112 §3, §5), strict where leniency lets two
 * parsers disagree about where a request ends (request smuggling): whitespace before a colon,
 * folded lines, a CR inside a line, {@code Transfer-Encoding} with {@code Content-Length},
 * codings other than {@code chunked}, differing or non-numeric lengths are all refused.
 *
 * @param headers       header values by lower-case name, in arrival order
 * @param contentLength the declared body length, -1 when chunked, 0 when there is no body
 * @param chunked       whether the body is chunked
 * @param keepAlive     whether the client lets the connection serve another request afterwards
 * @param expectContinue whether the client waits for {@code 100 Continue} before sending the body
 */
record RequestHead(String method, String path, String rawQuery, boolean http11, Map<String, List<String>> headers,
                   long contentLength, boolean chunked, boolean keepAlive, boolean expectContinue) {
    /** The request line and all header lines together. */
    static final int MAX_HEAD_BYTES = 64 * 1024;
    /** Header lines at most. */
    static final int MAX_HEADERS = 256;
    /** Empty lines tolerated before a request line (RFC 9112 §2.2: at least one). */
    private static final int MAX_LEADING_EMPTY_LINES = 8;

    /**
     * Reads the next request's head, or returns {@code null} when the client closed the connection
     * between requests.
     */
    static RequestHead read(Http1Input in) throws IOException {
        String line;
        int empty = 0;
        do {
            line = in.readLine(MAX_HEAD_BYTES, false);
            if (line == null) return null;
        } while (line.isEmpty() && ++empty <= MAX_LEADING_EMPTY_LINES);
        if (line.isEmpty()) throw new MalformedRequestException("No request line.");
        int budget = MAX_HEAD_BYTES - line.length();

        int sp1 = line.indexOf(' ');
        int sp2 = sp1 < 0 ? -1 : line.indexOf(' ', sp1 + 1);
        if (sp1 <= 0 || sp2 < 0 || line.indexOf(' ', sp2 + 1) >= 0) {
            throw new MalformedRequestException("The request line is not 'METHOD target HTTP/1.1'.");
        }
        String method = line.substring(0, sp1);
        if (!isToken(method)) throw new MalformedRequestException("The request method is not a token.");
        String target = line.substring(sp1 + 1, sp2);
        String version = line.substring(sp2 + 1);
        boolean http11;
        if (version.equals("HTTP/1.1")) {
            http11 = true;
        } else if (version.equals("HTTP/1.0")) {
            http11 = false;
        } else {
            throw new MalformedRequestException("Only HTTP/1.1 and HTTP/1.0 are served here.");
        }
        String pathAndQuery = originForm(target);

        Map<String, List<String>> headers = new HashMap<>(32);
        int count = 0;
        while (true) {
            String h = in.readLine(budget, false);
            if (h == null) throw new MalformedRequestException("The connection closed inside the request head.");
            budget -= h.length() + 2;
            if (budget < 0) throw new HeadTooLargeException();
            if (h.isEmpty()) break;
            if (++count > MAX_HEADERS) throw new HeadTooLargeException();
            char first = h.charAt(0);
            if (first == ' ' || first == '\t') throw new MalformedRequestException("Folded header lines are not accepted.");
            int colon = h.indexOf(':');
            if (colon <= 0) throw new MalformedRequestException("A header line without a name and a colon.");
            String name = h.substring(0, colon);
            if (!isToken(name)) throw new MalformedRequestException("A header name is not a token.");
            // Control characters are refused before trimming, and only spaces and tabs are trimmed
            // (RFC 9110 §5.5): "chunked\u000b" must not pass as chunked where a proxy saw no coding.
            for (int i = colon + 1; i < h.length(); i++) {
                char c = h.charAt(i);
                if ((c < 0x20 && c != '\t') || c == 0x7f) {
                    throw new MalformedRequestException("A header value holds a control character.");
                }
            }
            String value = trimOws(h.substring(colon + 1));
            headers.computeIfAbsent(lower(name), k -> new ArrayList<>(1)).add(value);
        }

        List<String> te = headers.get("transfer-encoding");
        List<String> cl = headers.get("content-length");
        boolean chunked = false;
        long length = 0;
        if (te != null) {
            if (cl != null) throw new MalformedRequestException("Both Transfer-Encoding and Content-Length.");
            if (!http11) throw new MalformedRequestException("Transfer-Encoding in an HTTP/1.0 request.");
            if (te.size() != 1 || !te.getFirst().equalsIgnoreCase("chunked")) {
                throw new MalformedRequestException("Only 'Transfer-Encoding: chunked' is accepted.");
            }
            chunked = true;
            length = -1;
        } else if (cl != null) {
            length = contentLength(cl);
        }

        String connection = joined(headers.get("connection"));
        boolean keepAlive = http11 ? !hasToken(connection, "close") : hasToken(connection, "keep-alive");
        String expect = joined(headers.get("expect"));
        boolean expectContinue = http11 && expect != null && expect.equalsIgnoreCase("100-continue");

        int q = pathAndQuery.indexOf('?');
        String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
        String query = q < 0 ? null : pathAndQuery.substring(q + 1);
        return new RequestHead(method, path, query, http11, headers, length, chunked, keepAlive, expectContinue);
    }

    /** The path and query of origin-form ({@code /p?q}), absolute-form or {@code *}. */
    private static String originForm(String target) throws MalformedRequestException {
        if (target.startsWith("/")) return checkedTarget(target);
        if (target.equals("*")) return target;
        int scheme = target.indexOf("://");
        if (scheme > 0 && (target.regionMatches(true, 0, "http", 0, scheme)
                || target.regionMatches(true, 0, "https", 0, scheme))) {
            int slash = target.indexOf('/', scheme + 3);
            int query = target.indexOf('?', scheme + 3);
            if (slash < 0 || (query >= 0 && query < slash)) {
                return checkedTarget("/" + (query < 0 ? "" : target.substring(query)));
            }
            return checkedTarget(target.substring(slash));
        }
        throw new MalformedRequestException("The request target is not a path.");
    }

    /**
     * Visible ASCII only, every {@code %} followed by two hex digits (RFC 3986 §2.1); a fragment
     * never travels in a request.
     */
    private static String checkedTarget(String target) throws MalformedRequestException {
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c <= 0x20 || c >= 0x7f || c == '#') {
                throw new MalformedRequestException("The request target holds a character that must be percent-encoded.");
            }
            if (c == '%' && (i + 2 >= target.length() || Character.digit(target.charAt(i + 1), 16) < 0
                    || Character.digit(target.charAt(i + 2), 16) < 0)) {
                throw new MalformedRequestException("The request target holds a '%' that is not followed by two hex digits.");
            }
        }
        return target;
    }

    private static long contentLength(List<String> values) throws MalformedRequestException {
        long length = -1;
        for (String value : values) {
            // "5, 5" from a proxy that merged duplicates: identical values are one length (RFC 9110 §8.6).
            for (String part : value.split(",", -1)) {
                String digits = trimOws(part);
                if (digits.isEmpty() || digits.length() > 18) {
                    throw new MalformedRequestException("Content-Length is not a number.");
                }
                for (int i = 0; i < digits.length(); i++) {
                    char c = digits.charAt(i);
                    if (c < '0' || c > '9') throw new MalformedRequestException("Content-Length is not a number.");
                }
                long n = Long.parseLong(digits);
                if (length >= 0 && n != length) throw new MalformedRequestException("Differing Content-Length values.");
                length = n;
            }
        }
        return length;
    }

    /** Without the optional whitespace (spaces and tabs only) around a value (RFC 9110 §5.6.3). */
    static String trimOws(String s) {
        int from = 0;
        int to = s.length();
        while (from < to && (s.charAt(from) == ' ' || s.charAt(from) == '\t')) from++;
        while (to > from && (s.charAt(to - 1) == ' ' || s.charAt(to - 1) == '\t')) to--;
        return from == 0 && to == s.length() ? s : s.substring(from, to);
    }

    private static String joined(List<String> values) {
        if (values == null) return null;
        return values.size() == 1 ? values.getFirst() : String.join(",", values);
    }

    private static boolean hasToken(String list, String token) {
        if (list == null) return false;
        for (String part : list.split(",")) {
            if (trimOws(part).equalsIgnoreCase(token)) return true;
        }
        return false;
    }

    /** {@code tchar} of RFC 9110 §5.6.2. */
    private static boolean isToken(String s) {
        if (s.isEmpty()) return false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) return false;
        }
        return true;
    }

    private static String lower(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c >= 'A' && c <= 'Z') return name.toLowerCase(Locale.ROOT);
        }
        return name;
    }
}
