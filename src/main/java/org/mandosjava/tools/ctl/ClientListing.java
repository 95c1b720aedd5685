package org.mandosjava.tools.ctl;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * mandos-ctl's two listings of clients' properties: the table (default or {@code --verbose}) and
 * {@code --dump-json}, byte for byte as mandos-ctl 1.8.16 prints them. Values are as they came off
 * the bus: Boolean, Long (all integer types), String.
 */
final class ClientListing {
    /** The verbose columns, in order, with their headers. */
    static final List<String> ALL_KEYS = List.of("Name", "Enabled", "Timeout", "LastCheckedOK", "Created",
            "Interval", "Host", "KeyID", "Fingerprint", "CheckerRunning", "LastEnabled", "ApprovalPending",
            "ApprovedByDefault", "LastApprovalRequest", "ApprovalDelay", "ApprovalDuration", "Checker",
            "ExtendedTimeout", "Expires", "LastCheckerStatus");
    static final List<String> DEFAULT_KEYS = ALL_KEYS.subList(0, 4);
    /** Our server's addition: when a client's OpenPGP key expires ("" if never; absent from other servers). */
    static final String KEY_EXPIRES = "KeyExpires";
    private static final Map<String, String> HEADERS = Map.ofEntries(
            Map.entry("Name", "Name"), Map.entry("Enabled", "Enabled"), Map.entry("Timeout", "Timeout"),
            Map.entry("LastCheckedOK", "Last Successful Check"),
            Map.entry("LastApprovalRequest", "Last Approval Request"), Map.entry("Created", "Created"),
            Map.entry("Interval", "Interval"), Map.entry("Host", "Host"), Map.entry("Fingerprint", "Fingerprint"),
            Map.entry("KeyID", "Key ID"), Map.entry("CheckerRunning", "Check Is Running"),
            Map.entry("LastEnabled", "Last Enabled"), Map.entry("ApprovalPending", "Approval Is Pending"),
            Map.entry("ApprovedByDefault", "Approved By Default"), Map.entry("ApprovalDelay", "Approval Delay"),
            Map.entry("ApprovalDuration", "Approval Duration"), Map.entry("Checker", "Checker"),
            Map.entry("ExtendedTimeout", "Extended Timeout"), Map.entry("Expires", "Expires"),
            Map.entry("LastCheckerStatus", "Last Checker Status"), Map.entry(KEY_EXPIRES, "Key Expires"));
    private static final List<String> DURATION_KEYS = List.of("Timeout", "Interval", "ApprovalDelay",
            "ApprovalDuration", "ExtendedTimeout");
    private static final String JSON_INDENT = "    ";

    private ClientListing() {}

    /**
     * The verbose columns: the original's, then Key Expires if any client's key has an expiry date, so
     * that the table stays the original's byte for byte otherwise (and with any other server).
     */
    static List<String> verboseKeys(java.util.Collection<Map<String, Object>> clients) {
        boolean anyExpiry = clients.stream().anyMatch(c -> c.get(KEY_EXPIRES) instanceof String s && !s.isEmpty());
        if (!anyExpiry) return ALL_KEYS;
        List<String> keys = new ArrayList<>(ALL_KEYS);
        keys.add(KEY_EXPIRES);
        return keys;
    }

    /**
     * The table, without the final newline. With no clients it is the header line alone (the
     * original crashes there: spec §15.3 item 9).
     */
    static String table(List<Map<String, Object>> clients, List<String> keys) {
        List<Integer> widths = new ArrayList<>();
        for (String key : keys) {
            int width = length(HEADERS.get(key));
            for (Map<String, Object> client : clients) width = Math.max(width, length(cell(client, key)));
            widths.add(width);
        }
        StringBuilder out = new StringBuilder();
        row(out, keys, widths, HEADERS::get);
        for (Map<String, Object> client : clients) {
            out.append('\n');
            row(out, keys, widths, key -> cell(client, key));
        }
        return out.toString();
    }

    private static void row(StringBuilder out, List<String> keys, List<Integer> widths,
            java.util.function.Function<String, String> text) {
        for (int i = 0; i < keys.size(); i++) {
            if (i > 0) out.append(' ');
            String value = text.apply(keys.get(i));
            out.append(value).append(" ".repeat(widths.get(i) - length(value)));
        }
    }

    private static int length(String s) {
        return s.codePointCount(0, s.length());
    }

    static String cell(Map<String, Object> client, String key) {
        Object value = client.get(key);
        if (value == null && key.equals(KEY_EXPIRES)) return "";
        if (value instanceof Boolean b) return b ? "Yes" : "No";
        if (DURATION_KEYS.contains(key) && value instanceof Long ms) return durationText(ms);
        return String.valueOf(value);
    }

    /** {@code [<days>T]HH:MM:SS}, as the original's milliseconds_to_string. */
    static String durationText(long ms) {
        long totalSeconds = Math.floorDiv(ms, 1000);
        long days = Math.floorDiv(totalSeconds, 86400);
        long seconds = Math.floorMod(totalSeconds, 86400);
        return (days != 0 ? days + "T" : "")
                + String.format("%02d:%02d:%02d", seconds / 3600, (seconds % 3600) / 60, seconds % 60);
    }

    /** {@code json.dumps({Name: {key: value}}, indent=4, separators=(",", ": "))}. */
    static String json(List<Map<String, Object>> clients) {
        if (clients.isEmpty()) return "{}";
        StringBuilder out = new StringBuilder("{\n");
        List<Map<String, Object>> unique = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Map<String, Object> client : clients) {
            String name = String.valueOf(client.get("Name"));
            int existing = names.indexOf(name);
            if (existing >= 0) unique.set(existing, client); // a dict: the last one with a name wins
            else {
                names.add(name);
                unique.add(client);
            }
        }
        for (int c = 0; c < unique.size(); c++) {
            out.append(JSON_INDENT).append(jsonString(names.get(c))).append(": {\n");
            for (int k = 0; k < ALL_KEYS.size(); k++) {
                String key = ALL_KEYS.get(k);
                out.append(JSON_INDENT).append(JSON_INDENT).append(jsonString(key)).append(": ")
                        .append(jsonValue(unique.get(c).get(key))).append(k < ALL_KEYS.size() - 1 ? ",\n" : "\n");
            }
            out.append(JSON_INDENT).append('}').append(c < unique.size() - 1 ? ",\n" : "\n");
        }
        return out.append('}').toString();
    }

    private static String jsonValue(Object value) {
        if (value instanceof Boolean || value instanceof Long) return value.toString();
        return jsonString(String.valueOf(value));
    }

    /** Python's json string encoding with ensure_ascii. */
    static String jsonString(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (ch < 0x20 || ch > 0x7e) out.append(String.format("\\u%04x", (int) ch));
                    else out.append(ch);
                }
            }
        }
        return out.append('"').toString();
    }
}
