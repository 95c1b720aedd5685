package org.mandosjava.server;

import java.time.Duration;

/**
 * The absolute deadlines of one connection, counted from its accept: the version line, the TLS
 * handshake, and the whole connection (an approval wait excepted). When one passes, the connection
 * is cut by closing its socket, the one interruption every blocking read obeys, so no pattern of
 * trickled bytes can extend a phase. Times come from the injected scheduler, whose delays run on
 * the monotonic clock.
 */
final class ConnectionDeadlines implements AutoCloseable {
    /** The phases with a deadline, named as the log says them. */
    enum Phase {
        VERSION_LINE("version line"), HANDSHAKE("TLS handshake"), CONNECTION("connection");

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
        };
    }

    @Override
    public synchronized void close() {
        versionLine.cancel();
        handshake.cancel();
        connection.cancel();
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
