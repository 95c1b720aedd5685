package org.mandosjava.cluster;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one thread that follows the store: it watches from the revision after the last one applied,
 * hands every event to the node in order, re-reads everything when that revision was compacted
 * away, and starts again when the watch ends or stays silent too long (a cut-off connection can
 * stay open and silent; the heartbeats that should come back through it tell).
 */
final class WatchLoop implements Runnable {
    private static final Logger LOG = Logger.getLogger(WatchLoop.class.getName());
    private static final Duration RETRY = Duration.ofMillis(200);

    /** What the loop drives. */
    interface Target {
        /** The revision to watch from, after bringing the view up to date if it must be (null: store out of reach). */
        Long resumeFrom();

        void events(List<SharedState.Event> events);

        void progress(long revision);

        /** Marks that everything must be read again before the next watch. */
        void resyncNeeded();

        /** Whether the view has been proven current within the bound after which a watch is restarted. */
        boolean silentTooLong(long watchStartedAt);
    }

    private record Ended(Exception cause) {}

    private record Compacted(long revision) {}

    private record Progress(long revision) {}

    private final SharedState state;
    private final Target target;
    private volatile boolean closed;
    private volatile Thread thread;

    WatchLoop(SharedState state, Target target) {
        this.state = state;
        this.target = target;
    }

    void start(String serverId) {
        thread = Thread.ofPlatform().daemon().name("cluster-watch-" + serverId).start(this);
    }

    void close() {
        closed = true;
        Thread t = thread;
        if (t != null) {
            t.interrupt();
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void run() {
        while (!closed) {
            try {
                Long from = target.resumeFrom();
                if (from != null) follow(from);
                if (!closed) Thread.sleep(RETRY.toMillis());
            } catch (InterruptedException e) {
                if (closed) return;
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Cluster: following the shared store failed; starting again", e);
            }
        }
    }

    private void follow(long from) throws InterruptedException {
        BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
        long started = System.nanoTime();
        try (SharedState.Watch watch = state.watch(from, new SharedState.WatchListener() {
            @Override public void events(List<SharedState.Event> events) {
                queue.add(events);
            }

            @Override public void progress(long revision) {
                queue.add(new Progress(revision));
            }

            @Override public void compacted(long compactRevision) {
                queue.add(new Compacted(compactRevision));
            }

            @Override public void ended(Exception cause) {
                queue.add(new Ended(cause));
            }
        })) {
            while (!closed) {
                Object next = queue.poll(100, TimeUnit.MILLISECONDS);
                if (next == null) {
                    if (target.silentTooLong(started)) {
                        LOG.info("Cluster: the watch has been silent too long; starting it again");
                        return;
                    }
                    continue;
                }
                switch (next) {
                    case List<?> events -> {
                        @SuppressWarnings("unchecked") List<SharedState.Event> list = (List<SharedState.Event>) events;
                        target.events(list);
                    }
                    case Progress p -> target.progress(p.revision());
                    case Compacted c -> {
                        LOG.warning("Cluster: the store compacted revision " + from + " away; reading everything again");
                        target.resyncNeeded();
                        return;
                    }
                    case Ended e -> {
                        LOG.info("Cluster: the watch ended: " + (e.cause() == null ? "closed" : e.cause().getMessage()));
                        return;
                    }
                    default -> throw new IllegalStateException(String.valueOf(next));
                }
            }
        }
    }
}
