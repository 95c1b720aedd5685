package org.mandosjava.log;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.StreamHandler;
import org.mandosjava.platform.LibC;

/**
 * Where log lines go. In the foreground: standard error, one line per record with timestamp, program,
 * PID and level, in the original's console format, so existing grep patterns keep working. Under
 * systemd (JOURNAL_STREAM set): standard error with {@code <N>} priority prefixes that journald turns
 * into levels, no timestamp (the journal has its own). Detached: syslog, facility daemon.
 */
public final class LogSetup {
    public enum Target { CONSOLE, JOURNAL, SYSLOG }

    /** Held strongly: java.util.logging forgets the level of a logger nobody references. */
    private static final Logger OURS = Logger.getLogger("org.mandosjava");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss,SSS");

    private LogSetup() {}

    /** The natural target: the journal if standard error is connected to it, else the console. */
    public static Target consoleOrJournal() {
        return System.getenv("JOURNAL_STREAM") != null ? Target.JOURNAL : Target.CONSOLE;
    }

    /** What log lines say they come from; changes when a Zeroconf rename changes the service name. */
    private static volatile String program = "mandos";

    /** Changes the program name in log lines (syslog's ident stays as it was opened). */
    public static void rename(String newProgram) {
        program = newProgram;
    }

    public static void configure(String programName, Level level, Target target) {
        program = programName;
        LogManager.getLogManager().reset();
        // DEBUG is for our own messages; libraries (JNA, the JDK's process code, Bouncy Castle) log
        // internals at that level that would drown them.
        Logger root = Logger.getLogger("");
        root.setLevel(level.intValue() < Level.INFO.intValue() ? Level.INFO : level);
        OURS.setLevel(level);
        long pid = ProcessHandle.current().pid();
        Handler handler = switch (target) {
            case CONSOLE -> stderr(new LineFormatter(" [" + pid + "]", true, false), level);
            case JOURNAL -> stderr(new LineFormatter("", false, true), level);
            case SYSLOG -> new SyslogHandler(programName, level);
        };
        root.addHandler(handler);
    }

    private static Handler stderr(Formatter formatter, Level level) {
        StreamHandler handler = new StreamHandler(System.err, formatter) {
            @Override public synchronized void publish(LogRecord record) {
                super.publish(record);
                flush();
            }

            // Reconfiguring closes the old handler; standard error itself must stay open.
            @Override public synchronized void close() {
                flush();
            }
        };
        handler.setLevel(level);
        return handler;
    }

    static String render(LogRecord record) {
        String message = record.getMessage();
        if (record.getParameters() != null && record.getParameters().length > 0) {
            message = new java.util.logging.SimpleFormatter().formatMessage(record);
        }
        if (record.getThrown() != null) {
            Throwable t = record.getThrown();
            if (record.getLevel().intValue() >= Level.SEVERE.intValue()) {
                StringWriter trace = new StringWriter();
                t.printStackTrace(new PrintWriter(trace));
                message += "\n" + trace.toString().stripTrailing();
            } else {
                message += ": " + t;
            }
        }
        return message;
    }

    private static final class LineFormatter extends Formatter {
        /** Follows the program name, e.g. "[1234]" in "mandos [1234]: INFO: ...". */
        private final String suffix;
        private final boolean timestamps;
        private final boolean priorities;

        LineFormatter(String suffix, boolean timestamps, boolean priorities) {
            this.suffix = suffix;
            this.timestamps = timestamps;
            this.priorities = priorities;
        }

        @Override
        public String format(LogRecord record) {
            StringBuilder sb = new StringBuilder(128);
            String lead = priorities ? "<" + LogLevel.syslogPriority(record.getLevel()) + ">" : "";
            String head = (timestamps ? LocalDateTime.now().format(TIME) + " " : "") + program + suffix + ": "
                    + LogLevel.nameOf(record.getLevel()) + ": ";
            // Every line of a multi-line message keeps its priority, or journald files it as info.
            for (String line : render(record).split("\n", -1)) {
                sb.append(lead).append(head).append(line).append('\n');
            }
            return sb.toString();
        }
    }

    /** syslog(3) through libc, which knows /dev/log; the JDK has no datagram Unix sockets. */
    private static final class SyslogHandler extends Handler {
        private static final int LOG_PID = 0x01;
        private static final int LOG_DAEMON = 3 << 3;
        // openlog keeps the pointer, so the name must live in memory that is never freed.
        private static Memory ident;

        SyslogHandler(String program, Level level) {
            ident = new Memory(program.length() * 4L + 1);
            ident.setString(0, program);
            LibC.openlog(ident, LOG_PID, LOG_DAEMON);
            setLevel(level);
        }

        @Override
        public void publish(LogRecord record) {
            if (!isLoggable(record)) return;
            int priority = LogLevel.syslogPriority(record.getLevel());
            for (String line : render(record).split("\n")) {
                LibC.syslog(priority, "%s", LogLevel.nameOf(record.getLevel()) + ": " + line);
            }
        }

        @Override public void flush() {}

        @Override public void close() {}
    }
}
