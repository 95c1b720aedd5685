package org.mandosjava.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;
import org.mandosjava.audit.AuditFile;
import org.mandosjava.audit.AuditSink;
import org.mandosjava.audit.AuditTrail;
import org.mandosjava.audit.JournalSink;
import org.mandosjava.audit.SyslogSink;
import org.mandosjava.config.OperationsSettings;
import org.mandosjava.log.JournalEntry;
import org.mandosjava.server.ClientRegistry;

/**
 * The server's operations side, wired by {@link ServerMain}: the audit trail (the journal under
 * systemd, else syslog; and the audit file if configured). The audit file is opened before
 * privileges are dropped, so it may live where only root can create files.
 */
final class Operations implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Operations.class.getName());
    /** Overrides where journal and syslog records go (tests point them at a private receiver). */
    static final String JOURNAL_SOCKET_ENV = "MANDOS_JOURNAL_SOCKET";
    static final String SYSLOG_SOCKET_ENV = "MANDOS_SYSLOG_SOCKET";

    private final AuditTrail audit;

    private Operations(AuditTrail audit) {
        this.audit = audit;
    }

    static Operations open(OperationsSettings settings, String identifier) throws IOException {
        List<AuditSink> sinks = new ArrayList<>();
        if (JournalSink.underSystemd()) {
            sinks.add(new JournalSink(env(JOURNAL_SOCKET_ENV, JournalEntry.SOCKET), identifier));
        } else {
            String devLog = env(SYSLOG_SOCKET_ENV, SyslogSink.DEV_LOG);
            if (Files.exists(Path.of(devLog))) sinks.add(new SyslogSink(devLog, identifier));
            else LOG.warning("Audit: no syslog socket at " + devLog + "; audit records go to "
                    + (settings.auditLog() == null ? "nowhere (set audit_log)" : settings.auditLog()) + " only");
        }
        if (settings.auditLog() != null) {
            try {
                sinks.add(AuditFile.open(settings.auditLog()));
            } catch (IOException e) {
                throw new IOException("cannot open the audit log " + settings.auditLog() + ": " + e.getMessage(), e);
            }
        }
        return new Operations(new AuditTrail(sinks));
    }

    /** Starts observing the registry; call before it starts. */
    void attach(ClientRegistry registry) {
        registry.addListener(audit);
    }

    AuditTrail audit() {
        return audit;
    }

    @Override
    public void close() {
        audit.close();
    }

    private static String env(String name, String otherwise) {
        String value = System.getenv(name);
        return value == null || value.isEmpty() ? otherwise : value;
    }
}
