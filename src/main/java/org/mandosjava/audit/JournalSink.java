package org.mandosjava.audit;

import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.mandosjava.log.JournalEntry;
import org.mandosjava.platform.UnixDatagram;

/**
 * Audit records as structured journal entries (journald's native protocol): {@code MESSAGE_ID} per
 * kind of event, {@code PRIORITY=5} (notice), and every field as {@code MANDOS_<NAME>}
 * ({@code MANDOS_CLIENT}, {@code MANDOS_KEY_ID}, {@code MANDOS_PEER}, …). journald has the entry
 * when the send returns; it writes to disk on its own schedule ({@code SyncIntervalSec=}). One socket
 * serves every record, and a journald that is behind makes a send fail rather than wait.
 */
public final class JournalSink implements AuditSink {
    private static final String NOTICE = "5";

    private final String socket;
    private final String identifier;
    private final UnixDatagram out;

    public JournalSink(String socket, String identifier) throws IOException {
        this.socket = socket;
        this.identifier = identifier;
        this.out = UnixDatagram.open(socket);
    }

    /** Whether this process runs under systemd with a journal to write to. */
    public static boolean underSystemd() {
        return System.getenv("JOURNAL_STREAM") != null || System.getenv("INVOCATION_ID") != null;
    }

    @Override
    public void write(AuditRecord record) throws IOException {
        out.send(entry(record, identifier).toByteArray());
    }

    @Override
    public void close() {
        out.close();
    }

    static JournalEntry.Builder entry(AuditRecord record, String identifier) {
        JournalEntry.Builder entry = new JournalEntry.Builder()
                .field("MESSAGE", record.message())
                .field("MESSAGE_ID", record.event().messageId())
                .field("PRIORITY", NOTICE)
                .field("SYSLOG_IDENTIFIER", identifier);
        record.forEachField((name, value) -> entry.field(journalName(name), value));
        return entry;
    }

    /** MANDOS_ and the field's name in upper case; the names a record has are made once. */
    static String journalName(String field) {
        String known = NAMES.get(field);
        return known != null ? known : "MANDOS_" + field.toUpperCase(Locale.ROOT);
    }

    private static final Map<String, String> NAMES = Stream.of("time", "event", "client", "key_id", "peer",
            "connection", "reason", "caller", "caller_uid", "count")
            .collect(Collectors.toUnmodifiableMap(n -> n, n -> "MANDOS_" + n.toUpperCase(Locale.ROOT)));

    @Override
    public String describe() {
        return "the journal (" + socket + ")";
    }
}
