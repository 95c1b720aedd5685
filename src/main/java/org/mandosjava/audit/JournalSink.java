package org.mandosjava.audit;

import java.io.IOException;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
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

    /** MANDOS_ and the field's name in upper case, made once per name. */
    static String journalName(String field) {
        return NAMES.computeIfAbsent(field, f -> "MANDOS_" + f.toUpperCase(Locale.ROOT));
    }

    private static final ConcurrentHashMap<String, String> NAMES = new ConcurrentHashMap<>();

    @Override
    public String describe() {
        return "the journal (" + socket + ")";
    }
}
