package org.mandosjava.server;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;

/**
 * Who may hold a connection. The accept loop never waits; it asks here whether to keep what it
 * accepted:
 * <ul>
 *   <li>an address that holds {@code maxUnauthenticatedPerAddress} connections whose key is not yet
 *       known gets no more: the new one is closed at once, before it costs a thread (under a flood
 *       that is most connections, so they must be cheap);
 *   <li>at {@code maxConnections}, the address with the most unauthenticated connections loses its
 *       oldest one to the newcomer; if every connection is authenticated, the new one is refused;
 *   <li>an authenticated connection (the TLS handshake showed a key) is never evicted, but one key
 *       holds at most {@code maxPerKey} of them. One that is only finishing (its answer sent, it
 *       waits for the peer's goodbye) gives way to a new connection of its key at that limit: a
 *       client that fetches again at once must not find its own finished connections in its way
 *       when the server is too busy to see their ends.
 * </ul>
 * Bookkeeping under one lock, no I/O under it: the caller cuts an evicted stranger's socket after
 * {@link #admit} returns; {@link #authenticated} cuts a finishing connection's itself, after the lock.
 */
final class Admission {
    /** What happened at an admission. */
    enum Outcome { ADMITTED, REFUSED_AT_ADDRESS_LIMIT, EVICTED_AT_CAP, REFUSED_AT_CAP }

    /** One connection's place. */
    static final class Ticket {
        final InetAddress source;
        private final Runnable cut;
        private String keyId;
        private boolean gone;
        private volatile boolean evicted;

        private Ticket(InetAddress source, Runnable cut) {
            this.source = source;
            this.cut = cut;
        }

        /** Ends the connection (closes its socket); run by whoever evicted it. */
        Runnable cut() {
            return cut;
        }

        /** Whether the server took this connection's place for another one. */
        boolean evicted() {
            return evicted;
        }
    }

    /**
     * @param ticket the new connection's place, or null if refused
     * @param evicted the connection to cut to make room, or null
     */
    record Admit(Ticket ticket, Ticket evicted, Outcome outcome) {}

    private final int maxConnections;
    private final int maxUnauthenticatedPerAddress;
    private final int maxPerKey;
    /** Per address, its unauthenticated connections oldest first. */
    private final Map<InetAddress, LinkedHashSet<Ticket>> unauthenticated = new HashMap<>();
    private final Map<String, Integer> perKey = new HashMap<>();
    /** Per key, its finishing connections oldest first; only keys that have some appear. */
    private final Map<String, LinkedHashSet<Ticket>> finishing = new HashMap<>();
    private int held;
    private int unauthenticatedCount;

    Admission(ConnectionLimits limits) {
        this.maxConnections = limits.maxConnections();
        this.maxUnauthenticatedPerAddress = limits.maxUnauthenticatedPerAddress();
        this.maxPerKey = limits.maxPerKey();
    }

    synchronized Admit admit(InetAddress source, Runnable cut) {
        Outcome outcome = Outcome.ADMITTED;
        Ticket evicted = null;
        LinkedHashSet<Ticket> own = unauthenticated.get(source);
        if (own != null && own.size() >= maxUnauthenticatedPerAddress) {
            return new Admit(null, null, Outcome.REFUSED_AT_ADDRESS_LIMIT);
        }
        if (held >= maxConnections) {
            evicted = evictFromLargest();
            if (evicted == null) return new Admit(null, null, Outcome.REFUSED_AT_CAP);
            outcome = Outcome.EVICTED_AT_CAP;
        }
        Ticket t = new Ticket(source, cut);
        unauthenticated.computeIfAbsent(source, a -> new LinkedHashSet<>()).add(t);
        unauthenticatedCount++;
        held++;
        return new Admit(t, evicted, outcome);
    }

    /**
     * Makes room without admitting anyone (the process ran out of file descriptors): the oldest
     * unauthenticated connection of the address that has most, or null if there is none.
     */
    synchronized Ticket evictOne() {
        return evictFromLargest();
    }

    /**
     * The handshake showed the connection's key: it may no longer be evicted. False (and the
     * connection must end) if the key already holds its limit of connections none of which is
     * finishing, or the connection was evicted. Otherwise, at the limit, the key's oldest finishing
     * connection is cut, here, to make room.
     */
    boolean authenticated(Ticket t, String keyId) {
        Ticket givesWay = null;
        synchronized (this) {
            if (t.gone || t.keyId != null) return false;
            if (perKey.getOrDefault(keyId, 0) >= maxPerKey) {
                LinkedHashSet<Ticket> done = finishing.get(keyId);
                if (done == null) return false;
                givesWay = done.iterator().next();
                givesWay.gone = true;
                givesWay.evicted = true;
                held--;
                forgetKeyed(givesWay);
            }
            removeUnauthenticated(t);
            perKey.merge(keyId, 1, Integer::sum);
            t.keyId = keyId;
        }
        if (givesWay != null) givesWay.cut().run();
        return true;
    }

    /**
     * The authenticated connection has its answer; it only waits for the peer's goodbye now, and
     * may give way to a new connection of its key (see {@link #authenticated}).
     */
    synchronized void finishing(Ticket t) {
        if (t.gone || t.keyId == null) return;
        finishing.computeIfAbsent(t.keyId, k -> new LinkedHashSet<>()).add(t);
    }

    /** The connection ended; its place is free. Does nothing for an evicted one (already freed). */
    synchronized void release(Ticket t) {
        if (t.gone) return;
        t.gone = true;
        held--;
        if (t.keyId == null) {
            removeUnauthenticated(t);
        } else {
            forgetKeyed(t);
        }
    }

    private void forgetKeyed(Ticket t) {
        perKey.computeIfPresent(t.keyId, (k, n) -> n > 1 ? n - 1 : null);
        LinkedHashSet<Ticket> done = finishing.get(t.keyId);
        if (done != null && done.remove(t) && done.isEmpty()) finishing.remove(t.keyId);
    }

    synchronized int held() {
        return held;
    }

    synchronized int unauthenticated() {
        return unauthenticatedCount;
    }

    synchronized int unauthenticatedFrom(InetAddress source) {
        LinkedHashSet<Ticket> own = unauthenticated.get(source);
        return own == null ? 0 : own.size();
    }

    private Ticket evictFromLargest() {
        InetAddress largest = null;
        int most = 0;
        // A linear scan: it runs only at the cap, over at most maxConnections addresses.
        for (Map.Entry<InetAddress, LinkedHashSet<Ticket>> e : unauthenticated.entrySet()) {
            if (e.getValue().size() > most) {
                most = e.getValue().size();
                largest = e.getKey();
            }
        }
        return largest == null ? null : evictOldest(largest);
    }

    private Ticket evictOldest(InetAddress source) {
        Iterator<Ticket> it = unauthenticated.get(source).iterator();
        Ticket oldest = it.next();
        removeUnauthenticated(oldest);
        oldest.gone = true;
        oldest.evicted = true;
        held--;
        return oldest;
    }

    private void removeUnauthenticated(Ticket t) {
        LinkedHashSet<Ticket> own = unauthenticated.get(t.source);
        if (own != null && own.remove(t)) {
            unauthenticatedCount--;
            if (own.isEmpty()) unauthenticated.remove(t.source);
        }
    }
}
