package ai.sentx.http;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/** What the account's list routes share: the page size, the CSV choice and the CSV download. */
final class Listings {
    private Listings() {
    }

    /**
     * The {@code limit} query parameter, 1..1000, or {@code fallback} when absent.
     *
     * @throws ai.sentx.domain.FailureException {@code INVALID_PARAMETER} for anything else
     */
    static int limit(Map<String, String> query, int fallback) {
        if (!query.containsKey("limit")) return fallback;
        int limit;
        try {
            limit = Integer.parseInt(query.get("limit"));
        } catch (NumberFormatException e) {
            limit = -1;
        }
        if (limit < 1 || limit > 1000) throw ChatRequestParser.invalid("limit", "limit must be 1..1000.");
        return limit;
    }

    /** Whether the caller asked for CSV ({@code format=csv} or {@code Accept: text/csv}). */
    static boolean wantsCsv(HttpRequest req, Map<String, String> query) {
        String accept = req.header("accept");
        return "csv".equalsIgnoreCase(query.get("format")) || (accept != null && accept.contains("text/csv"));
    }

    /** Sends {@code csv} as a download named {@code filename}. */
    static void sendCsv(ResponseSink sink, Map<String, List<String>> headers, String filename, String csv)
            throws IOException {
        Responses.put(headers, "content-disposition", "attachment; filename=\"" + filename + "\"");
        Responses.send(sink, 200, headers, "text/csv; charset=utf-8", Responses.utf8(csv));
    }
}
