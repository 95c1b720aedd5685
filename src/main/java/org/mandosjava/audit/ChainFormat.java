package org.mandosjava.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mandosjava.json.Json;

/**
 * The audit file's line format: one JSON object per line,
 * {@code {"seq":N,"time":…,"event":…,…,"prev":"<hex>","sha256":"<hex>"}}, where {@code sha256} is
 * the SHA-256 of the line's bytes before {@code ,"sha256":} (so it covers {@code prev}) and
 * {@code prev} is the previous line's {@code sha256} (64 zeros for the first record of a file).
 * Editing, inserting or deleting a record, or cutting the file's start, breaks the chain.
 */
final class ChainFormat {
    static final String GENESIS = "0".repeat(64);
    private static final String HASH_FIELD = ",\"sha256\":\"";
    private static final Pattern TAIL = Pattern.compile(
            "^\\{\"seq\":(\\d+),.*,\"prev\":\"([0-9a-f]{64})\"" + Pattern.quote(HASH_FIELD) + "([0-9a-f]{64})\"}$");

    private ChainFormat() {}

    /** The parts of a line the chain is made of. */
    record Link(long seq, String prev, String hash, String body) {}

    /** A record's line (without its newline) and its hash, the next record's {@code prev}. */
    record Line(String text, String hash) {}

    static String line(long seq, Map<String, String> fields, String prev) {
        return chained(seq, fields, prev).text();
    }

    static Line chained(long seq, Map<String, String> fields, String prev) {
        StringBuilder sb = new StringBuilder(256).append("{\"seq\":").append(seq);
        fields.forEach((k, v) -> {
            sb.append(',');
            Json.quote(sb, k);
            sb.append(':');
            Json.quote(sb, v);
        });
        sb.append(",\"prev\":\"").append(prev).append('"');
        String hash = sha256(sb.toString());
        return new Line(sb.append(HASH_FIELD).append(hash).append("\"}").toString(), hash);
    }

    /** The link a line holds, or null if it is not a well-formed record. */
    static Link parse(String line) {
        Matcher m = TAIL.matcher(line);
        if (!m.matches()) return null;
        int cut = line.lastIndexOf(HASH_FIELD);
        return new Link(Long.parseLong(m.group(1)), m.group(2), m.group(3), line.substring(0, cut));
    }

    static String sha256(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
