package org.mandosjava.cluster.etcd;

import java.time.Duration;
import org.mandosjava.cluster.etcd.EtcdException.Kind;

/**
 * Keeps one lease alive from a virtual thread, renewing every third of its TTL, and reports its
 * loss once: when etcd says it has expired, or when a full TTL has passed (monotonic clock) since the
 * last renewal that succeeded was sent, after which etcd may have let it go (each renewal is bounded
 * by that deadline, so the report is not later than the TTL plus scheduling). After a loss it stops;
 * the owner grants a new lease. {@link #close()} stops renewing without revoking.
 */
public final class LeaseKeeper implements AutoCloseable {
    /** Told once, on the keeper's thread, that the lease is (or may be) gone. */
    @FunctionalInterface
    public interface Listener {
        void onLost(long leaseId, EtcdException cause);
    }

    private static final long MIN_INTERVAL_NANOS = Duration.ofMillis(200).toNanos();

    private final EtcdClient client;
    private final LeaseGrant lease;
    private final Listener listener;
    private volatile boolean alive = true;
    private volatile boolean closed;
    private volatile long lastRenewedNanos;
    private Thread thread;

    private LeaseKeeper(EtcdClient client, LeaseGrant lease, Listener listener) {
        this.client = client;
        this.lease = lease;
        this.listener = listener;
    }

    static LeaseKeeper start(EtcdClient client, LeaseGrant lease, Listener listener) {
        LeaseKeeper k = new LeaseKeeper(client, lease, listener);
        k.lastRenewedNanos = System.nanoTime();
        k.thread = Thread.ofVirtual().name("etcd-lease-" + lease.id()).start(k::run);
        return k;
    }

    public long leaseId() {
        return lease.id();
    }

    /** False once the loss has been reported, or after close. */
    public boolean isAlive() {
        return alive && !closed;
    }

    private void run() {
        long ttlNanos = Duration.ofSeconds(lease.ttlSeconds()).toNanos();
        long interval = Math.max(MIN_INTERVAL_NANOS, ttlNanos / 3);
        long next = System.nanoTime() + interval;
        while (!closed) {
            long deadline = lastRenewedNanos + ttlNanos;
            try {
                sleepUntil(Math.min(next, deadline));
            } catch (InterruptedException e) {
                return; // closed
            }
            if (closed) return;
            long sent = System.nanoTime();
            if (sent - deadline >= 0) {
                lost(new EtcdException(Kind.TIMEOUT, "lease " + lease.id() + " not renewed within its TTL of "
                        + lease.ttlSeconds() + " s", null));
                return;
            }
            try {
                // Bounded by the lease's own deadline, so a hanging call cannot delay the loss report.
                client.keepAliveOnce(lease.id(), Duration.ofNanos(Math.max(1, deadline - sent)));
                lastRenewedNanos = sent;
                next = sent + interval;
            } catch (EtcdException e) {
                if (closed) return;
                if (e.kind() == Kind.NOT_FOUND || e.kind() == Kind.AUTH || e.kind() == Kind.CLOSED) {
                    lost(e);
                    return;
                }
                // Transient: retry soon, until the TTL runs out.
                next = System.nanoTime() + Math.min(interval, MIN_INTERVAL_NANOS * 2);
            }
        }
    }

    private void lost(EtcdException cause) {
        alive = false;
        listener.onLost(lease.id(), cause);
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left = nanoTime - System.nanoTime();
        if (left > 0) Thread.sleep(Duration.ofNanos(left));
    }

    /** Stops renewing (the lease then expires by itself unless revoked). Does not call the listener. */
    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
