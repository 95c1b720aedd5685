package org.mandosjava.server;

import java.time.Duration;

/**
 * The absolute deadlines of one connection, counted from its accept: the version line, the TLS
 * handshake, and the whole connection (an approval wait excepted); and, once the secret is out, the
 * wait for the peer's close. When one passes, the connection is cut by closing its socket, the one
 * interruption every blocking read obeys, so no pattern of trickled bytes can extend a phase. They
 * are the only bound on the connection's reads: a socket read timeout on a virtual thread arms and
 * cancels a timer in the runtime's delay scheduler at every read that waits, waking its thread
 * each time. Times come from the injected scheduler, whose delays run on the monotonic clock.
 */
final class ConnectionDeadlines implements AutoCloseable {
    /** The phases with a deadline, named as the log says them. */
    enum Phase {
        VERSION_LINE("version line"), HANDSHAKE("TLS handshake"), CONNECTION("connection"),
        /** The wait for the peer's close_notify after ours; running out of it is no fault of the peer's. */
        BYE("close");

        private final String text;

        Phase(String text) {
            this.text = text;
        }

        @Override public String toString() {
            return text;
        }
    }

    private final Scheduler scheduler;
    private final ConnectionLimits limits;
    private final Runnable cut;
    private Scheduler.Cancellable versionLine;
    private Scheduler.Cancellable handshake;
    private Scheduler.Cancellable connection;
    private Scheduler.Cancellable bye;
    private volatile Phase expired;

    /** Starts the clocks: call at the accept. */
    ConnectionDeadlines(Scheduler scheduler, ConnectionLimits limits, Runnable cut) {
        this.scheduler = scheduler;
        this.limits = limits;
        this.cut = cut;
        synchronized (this) {
            versionLine = arm(Phase.VERSION_LINE, limits.versionLine());
            handshake = arm(Phase.HANDSHAKE, limits.handshake());
            connection = arm(Phase.CONNECTION, limits.connection());
        }
    }

    synchronized void versionLineRead() {
        versionLine.cancel();
    }

    synchronized void handshakeDone() {
        versionLine.cancel();
        handshake.cancel();
    }

    /** An approval wait is bounded by the client's approval_delay and ends when the peer leaves. */
    synchronized void approvalWaitStarted() {
        connection.cancel();
    }

    /** After an approval wait, the connection gets a full connection limit for the rest. */
    synchronized void approvalWaitEnded() {
        connection.cancel();
        if (expired == null) connection = arm(Phase.CONNECTION, limits.connection());
    }

    /** Our close_notify is sent: the peer has the bye limit to answer and close. */
    synchronized void byeStarted() {
        if (expired == null) bye = arm(Phase.BYE, limits.bye());
    }

    /** The phase whose deadline cut the connection, or null. */
    Phase expired() {
        return expired;
    }

    /** The limit of {@code phase}, for the log. */
    Duration limit(Phase phase) {
        return switch (phase) {
            case VERSION_LINE -> limits.versionLine();
            case HANDSHAKE -> limits.handshake();
            case CONNECTION -> limits.connection();
            case BYE -> limits.bye();
        };
    }

    @Override
    public synchronized void close() {
        versionLine.cancel();
        handshake.cancel();
        connection.cancel();
        if (bye != null) bye.cancel();
    }

    private Scheduler.Cancellable arm(Phase phase, Duration after) {
        return scheduler.schedule(after, () -> {
            synchronized (this) {
                if (expired != null) return;
                expired = phase;
            }
            cut.run();
        });
    }
}
