package org.mandosjava.audit;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
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
        out.send(JournalEntry.encode(fields(record, identifier)));
    }

    @Override
    public void close() {
        out.close();
    }

    static Map<String, String> fields(AuditRecord record, String identifier) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("MESSAGE", record.message());
        f.put("MESSAGE_ID", record.event().messageId());
        f.put("PRIORITY", NOTICE);
        f.put("SYSLOG_IDENTIFIER", identifier);
        record.fields().forEach((k, v) -> f.put("MANDOS_" + k.toUpperCase(Locale.ROOT), v));
        return f;
    }

    @Override
    public String describe() {
        return "the journal (" + socket + ")";
    }
}
