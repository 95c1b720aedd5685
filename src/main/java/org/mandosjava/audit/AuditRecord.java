package org.mandosjava.audit;

import java.time.Instant;
import java.time.LocalDateTime;
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

    /** Receives a record's fields one at a time. */
    @FunctionalInterface
    public interface FieldVisitor {
        void field(String name, String value);
    }

    /** The time as RFC 3339 in UTC with microseconds, e.g. 2026-12-02T03:04:05.123456Z. */
    public String timeText() {
        LocalDateTime t = LocalDateTime.ofEpochSecond(time.getEpochSecond(), time.getNano(), ZoneOffset.UTC);
        if (t.getYear() < 0 || t.getYear() > 9999) return RFC3339_MICROS.format(time);
        // By hand: every record formats its time, and the formatter costs several times this.
        StringBuilder sb = new StringBuilder(27);
        digits(sb, t.getYear(), 4).append('-');
        digits(sb, t.getMonthValue(), 2).append('-');
        digits(sb, t.getDayOfMonth(), 2).append('T');
        digits(sb, t.getHour(), 2).append(':');
        digits(sb, t.getMinute(), 2).append(':');
        digits(sb, t.getSecond(), 2).append('.');
        return digits(sb, t.getNano() / 1000, 6).append('Z').toString();
    }

    private static StringBuilder digits(StringBuilder sb, int value, int width) {
        String s = Integer.toString(value);
        for (int i = s.length(); i < width; i++) sb.append('0');
        return sb.append(s);
    }

    /** The fields that are set, in a fixed order, by their JSON names. */
    public Map<String, String> fields() {
        Map<String, String> f = new LinkedHashMap<>();
        forEachField(f::put);
        return f;
    }

    /** As {@link #fields()}, one at a time, without a map. */
    public void forEachField(FieldVisitor visitor) {
        visitor.field("time", timeText());
        visitor.field("event", event.id());
        forEachDetail(visitor);
    }

    /** The fields after the time and the event. */
    private void forEachDetail(FieldVisitor visitor) {
        if (client != null) visitor.field("client", client);
        if (keyId != null) visitor.field("key_id", keyId);
        if (peer != null) visitor.field("peer", peer);
        if (connection >= 0) visitor.field("connection", Long.toString(connection));
        if (reason != null) visitor.field("reason", reason);
        if (caller != null) visitor.field("caller", caller);
        if (callerUid >= 0) visitor.field("caller_uid", Long.toString(callerUid));
        if (count != 1) visitor.field("count", Long.toString(count));
    }

    /** One line for people (syslog, the journal's MESSAGE): "mandos audit: event key=value …". */
    public String message() {
        StringBuilder sb = new StringBuilder(160).append("audit: ").append(event.id());
        forEachDetail((k, v) -> sb.append(' ').append(k).append('=').append(quoted(v)));
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
}
