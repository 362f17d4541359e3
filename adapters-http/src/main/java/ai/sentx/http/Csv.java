package ai.sentx.http;

/** RFC 4180 cells for the CSV exports. */
final class Csv {
    private Csv() {
    }

    /**
     * Appends {@code value} as one cell: quoted when it holds a comma, quote or line break, and
     * prefixed with {@code '} when a spreadsheet would run it as a formula ({@code =}, {@code +},
     * {@code -}, {@code @}, tab, CR) — end-user names and references are customer-controlled.
     * {@code null} and empty are an empty cell.
     */
    static StringBuilder cell(StringBuilder sb, String value) {
        if (value == null || value.isEmpty()) return sb;
        String v = value;
        char first = v.charAt(0);
        if (first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r') v = "'" + v;
        if (v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) {
            sb.append('"').append(v.replace("\"", "\"\"")).append('"');
        } else {
            sb.append(v);
        }
        return sb;
    }
}
