package org.mandosjava.audit;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.mandosjava.server.Origin;
import org.mandosjava.server.RateLimitedLog;
import org.mandosjava.server.ServerEvent;
import org.mandosjava.server.ServerEventListener;

/**
 * The audit trail: turns the registry's events into audit records, one per event, whatever the log
 * level, and writes each to every sink. Who caused a change comes from the event's {@link Origin}
 * (the connection, or the D-Bus caller and its Unix user).
 *
 * <p>A release record that the audit file cannot take stops the release: this listener throws, and
 * the registry refuses the client instead of sending its secret. The journal and syslog are
 * best-effort (a datagram a busy journald drops must not keep machines from booting). Any other
 * record that cannot be written is logged and counted ({@link #failed()}); the change it reports
 * stands.
 */
public final class AuditTrail implements ServerEventListener, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(AuditTrail.class.getName());
    /** Unknown keys from one source are recorded at most once per this window. */
    public static final Duration UNKNOWN_KEY_WINDOW = Duration.ofMinutes(1);
    static final Duration FAILURE_LOG_INTERVAL = Duration.ofMinutes(1);
    static final int FAILURE_LOG_BURST = 3;
    /** Properties that are an operator's settings (a change is recorded); the rest are bookkeeping. */
    private static final Set<String> SETTINGS = Set.of("Timeout", "ExtendedTimeout", "Interval", "ApprovalDelay",
            "ApprovalDuration", "ApprovedByDefault", "Host", "Checker");

    /** Thrown to stop a release whose record could not be written. */
    public static final class NotRecorded extends RuntimeException {
        NotRecorded(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final List<AuditSink> sinks;
    private final Clock clock;
    private final UnknownKeyThrottle unknownKeys;
    /** A sink that fails once fails for every release after it: a few lines a minute, then a count. */
    private final RateLimitedLog failures;
    /** Clients whose last checker failed; a change either way is recorded. */
    private final Set<String> checkerFailing = ConcurrentHashMap.newKeySet();
    private volatile boolean saveFailing;
    private final LongAdder written = new LongAdder();
    private final LongAdder failed = new LongAdder();

    public AuditTrail(List<AuditSink> sinks, Clock clock, LongSupplier nanoTime) {
        this.sinks = List.copyOf(sinks);
        this.clock = clock;
        this.unknownKeys = new UnknownKeyThrottle(UNKNOWN_KEY_WINDOW, nanoTime);
        this.failures = new RateLimitedLog(LOG, FAILURE_LOG_INTERVAL, FAILURE_LOG_BURST, nanoTime);
    }

    public AuditTrail(List<AuditSink> sinks) {
        this(sinks, Clock.systemUTC(), System::nanoTime);
    }

    /** Records written to every sink. */
    public long written() {
        return written.sum();
    }

    /** Records that at least one sink could not take. */
    public long failed() {
        return failed.sum();
    }

    /** Without a stream: every release changes a client's expiry, and comes here. */
    private static boolean touchesSetting(Set<String> properties) {
        for (String p : properties) {
            if (SETTINGS.contains(p)) return true;
        }
        return false;
    }

    @Override
    public void onEvent(ServerEvent event) {
        Origin o = Origin.current();
        switch (event) {
            case ServerEvent.SecretReleasing e -> {
                if (!record(AuditEvent.SECRET_RELEASED, e.clientName(), e.keyId(), e.address(), null, o, 1)) {
                    throw new NotRecorded("the release of " + e.clientName() + "'s secret could not be recorded", null);
                }
            }
            case ServerEvent.Rejected e -> record(AuditEvent.SECRET_REFUSED, e.clientName(), o.keyId(), e.address(),
                    e.reason(), o, 1);
            case ServerEvent.PeerLeft e -> record(AuditEvent.SECRET_REFUSED, e.clientName(), o.keyId(), e.address(),
                    "peer left", o, 1);
            case ServerEvent.ClientNotFound e -> {
                for (UnknownKeyThrottle.Due d : unknownKeys.note(e.keyId(), e.address())) {
                    record(AuditEvent.UNKNOWN_KEY, null, d.keyId(), d.peer(), null, o, d.count());
                }
            }
            case ServerEvent.NeedApproval e -> record(AuditEvent.APPROVAL_REQUESTED, e.clientName(), o.keyId(),
                    o.peer(), null, o, 1);
            case ServerEvent.ApprovalDecided e -> record(e.approved() ? AuditEvent.APPROVED : AuditEvent.DENIED,
                    e.clientName(), null, null, null, o, 1);
            case ServerEvent.EnabledChanged e -> record(e.enabled() ? AuditEvent.CLIENT_ENABLED
                    : AuditEvent.CLIENT_DISABLED, e.clientName(), null, null, e.reason(), o, 1);
            case ServerEvent.ClientAdded e -> record(AuditEvent.CLIENT_ADDED, e.clientName(), null, null, null, o, 1);
            case ServerEvent.ClientRemoved e -> {
                checkerFailing.remove(e.clientName());
                record(AuditEvent.CLIENT_REMOVED, e.clientName(), null, null, null, o, 1);
            }
            case ServerEvent.PropertiesChanged e -> {
                if (e.properties().contains("Secret")) {
                    record(AuditEvent.SECRET_CHANGED, e.clientName(), null, null, null, o, 1);
                }
                // Most changes (a release's new expiry, a checker's result) touch no setting.
                if (touchesSetting(e.properties())) {
                    Set<String> settings = new TreeSet<>(e.properties());
                    settings.retainAll(SETTINGS);
                    record(AuditEvent.SETTING_CHANGED, e.clientName(), null, null, String.join(",", settings), o, 1);
                }
            }
            case ServerEvent.CheckerCompleted e -> {
                if (e.exitCode() == 0) {
                    if (checkerFailing.remove(e.clientName())) {
                        record(AuditEvent.CHECKER_RECOVERED, e.clientName(), null, null, null, o, 1);
                    }
                } else if (checkerFailing.add(e.clientName())) {
                    String why = e.exitCode() == -1 ? "killed by signal " + (e.waitStatus() & 0x7f)
                            : "exit status " + e.exitCode();
                    record(AuditEvent.CHECKER_FAILING, e.clientName(), null, null, why, o, 1);
                }
            }
            case ServerEvent.SecretSent e -> { } // recorded as it was released
            case ServerEvent.CheckerStarted e -> { }
        }
    }

    /** The state could not be saved (recorded once until it can again). */
    public void stateSaveFailing(String reason) {
        if (saveFailing) return;
        saveFailing = true;
        record(AuditEvent.STATE_SAVE_FAILING, null, null, null, reason, Origin.SERVER, 1);
    }

    /** The state was saved after failures. */
    public void stateSaveRecovered() {
        if (!saveFailing) return;
        saveFailing = false;
        record(AuditEvent.STATE_SAVE_RECOVERED, null, null, null, null, Origin.SERVER, 1);
    }

    /** Writes out unknown keys counted but not yet recorded; closes the sinks. */
    @Override
    public void close() {
        failures.flush();
        for (UnknownKeyThrottle.Due d : unknownKeys.drain()) {
            record(AuditEvent.UNKNOWN_KEY, null, d.keyId(), d.peer(), null, Origin.SERVER, d.count());
        }
        for (AuditSink sink : sinks) {
            try {
                sink.close();
            } catch (IOException e) {
                LOG.severe("Audit: cannot close " + sink.describe() + ": " + e.getMessage());
            }
        }
    }

    /** Writes one record to every sink; false if a sink that must have it ({@link AuditSink#required}) failed. */
    private boolean record(AuditEvent kind, String client, String keyId, String peer, String reason, Origin o,
            long count) {
        AuditRecord r = new AuditRecord(clock.instant(), kind, client, keyId, peer, o.connection(), reason,
                o.caller(), o.callerUid(), count);
        boolean ok = true;
        boolean all = true;
        for (AuditSink sink : sinks) {
            try {
                sink.write(r);
            } catch (IOException | RuntimeException e) {
                all = false;
                if (sink.required()) ok = false;
                failures.log(Level.SEVERE, "Audit: cannot write to " + sink.describe(), () -> "Audit: cannot write a "
                        + kind.id() + " record to " + sink.describe() + ": " + e.getMessage());
            }
        }
        if (all) written.increment();
        else failed.increment();
        return ok;
    }
}
