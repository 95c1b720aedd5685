package org.mandosjava.server;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Events for listeners and actions to run outside the registry's lock, in the order they arose.
 * Items are added while the registry's lock is held and delivered after it is released; if another
 * thread is delivering, it takes the new items too, so nobody waits for a slow listener but the
 * thread already delivering.
 */
final class EventQueue {
    private static final Logger LOG = Logger.getLogger(EventQueue.class.getName());

    private final List<ServerEventListener> listeners = new CopyOnWriteArrayList<>();
    private final ArrayDeque<Object> pending = new ArrayDeque<>();
    /** Held by the one thread delivering. */
    private final ReentrantLock delivering = new ReentrantLock();

    void addListener(ServerEventListener listener) {
        listeners.add(listener);
    }

    synchronized void add(ServerEvent event) {
        pending.add(new Queued(event, Origin.current()));
    }

    /** An event and the origin of the change it reports. */
    private record Queued(ServerEvent event, Origin origin) {}

    synchronized void add(Runnable action) {
        pending.add(action);
    }

    private synchronized Object poll() {
        return pending.poll();
    }

    private synchronized boolean isEmpty() {
        return pending.isEmpty();
    }

    /** Delivers what is queued; call without the registry's lock. */
    void deliver() {
        // An action being delivered may cause more items; the loop below takes them, not recursion.
        if (delivering.isHeldByCurrentThread()) return;
        while (!isEmpty() && delivering.tryLock()) {
            try {
                for (Object item; (item = poll()) != null; ) dispatch(item);
            } finally {
                delivering.unlock();
            }
            // An item queued just as we finished found the delivery lock taken: look again.
        }
    }

    /**
     * Delivers what is queued, then {@code event}, on the calling thread: every event queued before
     * it has been delivered when its listeners run (a delivery in progress on another thread is
     * waited for). Its listeners run without the delivery lock, so several threads' events of this
     * kind may be delivered at once (listeners of it are thread-safe): releases on many connections
     * then share the audit file's fsync instead of queueing for it one by one.
     *
     * @return false if a listener failed on {@code event}
     */
    boolean deliverNow(ServerEvent event) {
        delivering.lock();
        try {
            for (Object item; (item = poll()) != null; ) dispatch(item);
        } finally {
            delivering.unlock();
        }
        boolean ok = true;
        for (ServerEventListener listener : listeners) {
            try {
                listener.onEvent(event);
            } catch (RuntimeException e) {
                LOG.severe("Not going on after " + event + ": " + e.getMessage());
                ok = false;
            }
        }
        return ok;
    }

    private void dispatch(Object item) {
        if (item instanceof Runnable action) {
            try {
                action.run();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "internal action failed", e);
            }
            return;
        }
        Queued queued = (Queued) item;
        ServerEvent event = queued.event();
        try (Origin.Scope ignored = Origin.enter(queued.origin())) {
            for (ServerEventListener listener : listeners) {
                try {
                    listener.onEvent(event);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "event listener failed on " + event, e);
                }
            }
        }
    }
}
