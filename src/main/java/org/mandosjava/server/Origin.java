package org.mandosjava.server;

/**
 * Who or what caused a change: a connection (its id, the peer's address, the key_id it proved), a
 * D-Bus caller (its unique bus name and Unix user), or the server itself (timers, checkers). The
 * thread that makes a change carries its origin; the registry's event queue stores it beside each
 * event and restores it while the event is delivered, so a listener sees the origin of the change
 * even when another thread delivers it.
 *
 * @param connection the connection's id, or -1
 * @param peer the peer's address as {@link PeerAddress} formats it, or null
 * @param keyId the key_id the peer proved, or null
 * @param caller the D-Bus caller's unique bus name, or null
 * @param callerUid the D-Bus caller's Unix user id, or -1 if unknown
 * @param accepted {@link System#nanoTime()} when the connection was accepted, or 0
 * @param handshake nanoseconds from accepting the connection to the end of its TLS handshake, or 0
 */
public record Origin(long connection, String peer, String keyId, String caller, long callerUid, long accepted,
        long handshake) {
    /** The server itself: timers, checkers, a reload. */
    public static final Origin SERVER = new Origin(-1, null, null, null, -1, 0, 0);
    /** The shared store of a cluster: a change another server (or this one) committed, applied here. */
    public static final Origin CLUSTER = new Origin(-1, null, null, "cluster", -1, 0, 0);

    private static final ThreadLocal<Origin> CURRENT = new ThreadLocal<>();

    /** A connection accepted now. */
    public static Origin connection(long id, String peer) {
        return new Origin(id, peer, null, null, -1, System.nanoTime(), 0);
    }

    public static Origin dbusCaller(String busName, long uid) {
        return new Origin(-1, null, null, busName, uid, 0, 0);
    }

    /** The connection's handshake is done now, proving {@code id}. */
    public Origin withKeyId(String id) {
        return new Origin(connection, peer, id, caller, callerUid, accepted,
                accepted == 0 ? 0 : System.nanoTime() - accepted);
    }

    /** The origin of what the current thread does. */
    public static Origin current() {
        Origin o = CURRENT.get();
        return o == null ? SERVER : o;
    }

    /** Makes {@code origin} the current thread's until the returned scope is closed. */
    public static Scope enter(Origin origin) {
        Origin before = CURRENT.get();
        CURRENT.set(origin);
        return () -> CURRENT.set(before);
    }

    /** The extent of an {@link #enter}; closing it restores the previous origin. */
    public interface Scope extends AutoCloseable {
        @Override void close();
    }
}
