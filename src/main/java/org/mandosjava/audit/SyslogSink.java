package org.mandosjava.audit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.mandosjava.platform.UnixDatagram;

/**
 * Audit records to syslog at NOTICE (facility daemon), one line each, sent to {@code /dev/log} in
 * the format syslog(3) uses, on one socket that never waits for a busy receiver; for a server not
 * under systemd. Independent of the log level.
 */
public final class SyslogSink implements AuditSink {
    public static final String DEV_LOG = "/dev/log";
    private static final int DAEMON_NOTICE = (3 << 3) | 5;
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss", Locale.ROOT);

    private final String socket;
    private final String tag;
    private final UnixDatagram out;

    public SyslogSink(String socket, String identifier) throws IOException {
        this.socket = socket;
        this.tag = identifier + "[" + ProcessHandle.current().pid() + "]";
        this.out = UnixDatagram.open(socket);
    }

    @Override
    public void write(AuditRecord record) throws IOException {
        String line = "<" + DAEMON_NOTICE + ">" + STAMP.format(ZonedDateTime.now(ZoneId.systemDefault())) + " "
                + tag + ": " + record.message();
        out.send(line.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        out.close();
    }

    @Override
    public String describe() {
        return "syslog (" + socket + ")";
    }
}
