package org.mandosjava.audit;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One audit record. It never holds a secret: there is no field a secret could go into, and
 * {@code reason} and {@code detail} are built from names and fixed words only.
 *
 * @param time when it happened (UTC, microseconds)
 * @param client the client's name, or null
 * @param keyId the key_id a peer proved, or null
 * @param peer the peer's address (with scope for link-local), or null
 * @param connection the connection's id, or -1
 * @param reason why (a refusal's reason, a disable's cause, the settings changed), or null
 * @param caller the D-Bus caller's unique bus name, or null
 * @param callerUid the D-Bus caller's Unix user id, or -1
 * @param count how many events this record stands for (unknown keys are aggregated), at least 1
 */
public record AuditRecord(Instant time, AuditEvent event, String client, String keyId, String peer,
        long connection, String reason, String caller, long callerUid, long count) {

    private static final DateTimeFormatter RFC3339_MICROS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    public AuditRecord {
        time = time.truncatedTo(ChronoUnit.MICROS);
    }

    /** The time as RFC 3339 in UTC with microseconds, e.g. 2026-12-02T03:04:05.123456Z. */
    public String timeText() {
        return RFC3339_MICROS.format(time);
    }

    /** The fields that are set, in a fixed order, by their JSON names. */
    public Map<String, String> fields() {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("time", timeText());
        f.put("event", event.id());
        put(f, "client", client);
        put(f, "key_id", keyId);
        put(f, "peer", peer);
        if (connection >= 0) f.put("connection", Long.toString(connection));
        put(f, "reason", reason);
        put(f, "caller", caller);
        if (callerUid >= 0) f.put("caller_uid", Long.toString(callerUid));
        if (count != 1) f.put("count", Long.toString(count));
        return f;
    }

    /** One line for people (syslog, the journal's MESSAGE): "mandos audit: event key=value …". */
    public String message() {
        StringBuilder sb = new StringBuilder("audit: ").append(event.id());
        fields().forEach((k, v) -> {
            if (!k.equals("time") && !k.equals("event")) sb.append(' ').append(k).append('=').append(quoted(v));
        });
        return sb.toString();
    }

    private static String quoted(String v) {
        return v.isEmpty() || needsQuotes(v) ? '"' + v.replace("\"", "\\\"") + '"' : v;
    }

    private static boolean needsQuotes(String v) {
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c <= ' ' || c == '"') return true;
        }
        return false;
    }

    private static void put(Map<String, String> f, String key, String value) {
        if (value != null) f.put(key, value);
    }
}
