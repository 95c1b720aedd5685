package org.mandosjava.server;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.mandosjava.protocol.ServerHandshake;

/**
 * The listener: one platform thread blocks in accept(), each connection runs on its own virtual
 * thread. The accept loop never waits for anyone: every connection is accepted and {@link Admission}
 * decides whether it stays (an address beyond its limit of unauthenticated connections loses the
 * new one, a full server its oldest stranger), so a flood from one address cannot keep a real
 * client in the kernel's accept queue. What a flood causes is logged as counts once per interval.
 *
 * <p>Lifecycle: created listening (the socket is bound and listening before the constructor
 * returns, so the port is known), {@link #start()} begins accepting, {@link #close()} stops.
 */
public final class MandosServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(MandosServer.class.getName());
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(2);
    /** How often a flood is summed up in the log, and how many lines of a kind come before that. */
    static final Duration LOG_INTERVAL = Duration.ofSeconds(10);
    static final int LOG_BURST = 5;
    private static final long FIRST_BACKOFF_MILLIS = 10;
    private static final long MAX_BACKOFF_MILLIS = 1000;

    private final ServerSocket serverSocket;
    /** Which accepted connections to serve (by the address they came in on); null: all. */
    private final Predicate<InetAddress> admits;
    private final ConnectionHandler handler;
    private final ConnectionLimits limits;
    private final Admission admission;
    private final RateLimitedLog floodLog;
    private final SystemScheduler timers;
    private final Scheduler.Cancellable summaries;
    private final boolean dualStack;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Set<Thread> workers = ConcurrentHashMap.newKeySet();
    private final AtomicLong connectionIds = new AtomicLong();
    private Thread acceptor;
    private final LongAdder refusedAtAddress = new LongAdder();
    private final LongAdder refusedAtCap = new LongAdder();
    private final LongAdder evicted = new LongAdder();
    /** {@link System#nanoTime()} when the accept loop last came back from accept(). */
    private volatile long heartbeat = System.nanoTime();
    /** Whether the accept loop is in accept(), waiting on the kernel for the next connection. */
    private volatile boolean waiting;

    public MandosServer(ServerSocket serverSocket, ClientRegistry registry, ServerHandshake handshake,
            ConnectionLimits limits) {
        this(ListenSocket.Listener.unfiltered(serverSocket), registry, handshake, limits);
    }

    public MandosServer(ListenSocket.Listener listener, ClientRegistry registry, ServerHandshake handshake,
            ConnectionLimits limits) {
        this.serverSocket = listener.socket();
        this.admits = listener.filters() ? listener.admits() : null;
        this.limits = limits;
        this.admission = new Admission(limits);
        this.timers = new SystemScheduler("mandos-deadlines");
        this.floodLog = new RateLimitedLog(LOG, LOG_INTERVAL, LOG_BURST, System::nanoTime);
        this.summaries = timers.scheduleAtFixedRate(LOG_INTERVAL, LOG_INTERVAL, floodLog::flush);
        this.dualStack = localAddress().getAddress() instanceof java.net.Inet6Address;
        this.handler = new ConnectionHandler(registry, handshake, limits, timers, admission, floodLog, dualStack);
    }

    public InetSocketAddress localAddress() {
        return (InetSocketAddress) serverSocket.getLocalSocketAddress();
    }

    public synchronized void start() {
        if (acceptor != null) throw new IllegalStateException("already started");
        acceptor = Thread.ofPlatform().name("mandos-accept").daemon(false).start(this::acceptLoop);
    }

    /**
     * The accept loop's sign of life for a watchdog, a {@link System#nanoTime()}: now while it waits
     * in accept() (the kernel wakes it for the next connection), else when it came back from there, so
     * a round stuck on a connection shows as a heartbeat that stops.
     */
    public long acceptLoopHeartbeat() {
        return waiting ? System.nanoTime() : heartbeat;
    }

    /**
     * Blocks in accept() without a timeout: a timed accept polls before each accept(), a system call
     * more per connection in a storm, only to go round when nobody comes.
     */
    private void acceptLoop() {
        long backoff = 0;
        long failures = 0;
        while (!serverSocket.isClosed()) {
            Socket socket;
            try {
                socket = acceptWaiting();
            } catch (IOException e) {
                if (serverSocket.isClosed()) return;
                acceptFailed(e, failures++ == 0);
                backoff = backoff == 0 ? FIRST_BACKOFF_MILLIS : Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException ie) {
                    return;
                }
                continue;
            }
            if (failures > 0) {
                LOG.warning("Accepting connections again after " + failures + " failed accept() calls");
                failures = 0;
                backoff = 0;
            }
            if (admits != null && !admits.test(socket.getLocalAddress())) {
                // Came in on another interface than --interface (the JDK cannot bind to a device).
                LOG.fine(() -> "Refused a connection to " + socket.getLocalAddress() + ": not on the chosen interface");
                ConnectionHandler.closeQuietly(socket);
                continue;
            }
            InetAddress source = ((InetSocketAddress) socket.getRemoteSocketAddress()).getAddress();
            Admission.Admit admit = admission.admit(source, () -> ConnectionHandler.closeQuietly(socket));
            if (admit.evicted() != null) admit.evicted().cut().run();
            countAdmission(admit.outcome(), source);
            if (admit.ticket() == null) {
                ConnectionHandler.closeQuietly(socket);
                continue;
            }
            long id = connectionIds.incrementAndGet();
            open.add(socket);
            Thread worker = Thread.ofVirtual().name("conn-" + id).unstarted(() -> {
                try {
                    handler.serve(socket, id, admit.ticket());
                } finally {
                    open.remove(socket);
                    workers.remove(Thread.currentThread());
                }
            });
            workers.add(worker);
            worker.start();
        }
    }

    /** accept(), with the wait in it marked as one for the heartbeat. */
    private Socket acceptWaiting() throws IOException {
        waiting = true;
        try {
            return serverSocket.accept();
        } finally {
            heartbeat = System.nanoTime();
            waiting = false;
        }
    }

    /** Connections refused at admission: at an address's limit ({@code true}) or the server's. */
    public long connectionsRefused(boolean atAddressLimit) {
        return (atAddressLimit ? refusedAtAddress : refusedAtCap).sum();
    }

    /** Unauthenticated connections evicted to make room at the connection limit. */
    public long connectionsEvicted() {
        return evicted.sum();
    }

    private void countAdmission(Admission.Outcome outcome, InetAddress source) {
        switch (outcome) {
            case ADMITTED -> { }
            case REFUSED_AT_ADDRESS_LIMIT -> {
                refusedAtAddress.increment();
                floodLog.count("connections refused: address at its limit",
                        () -> "Address " + PeerAddress.format(source, dualStack) + " has "
                                + limits.maxUnauthenticatedPerAddress() + " unauthenticated connections"
                                + " (max_unauthenticated_per_address): its new ones are closed at once; counts follow"
                                + " every " + LOG_INTERVAL.toSeconds() + " s");
            }
            case EVICTED_AT_CAP -> {
                evicted.increment();
                floodLog.count("unauthenticated connections evicted at the connection limit",
                        () -> "At the limit of " + limits.maxConnections() + " connections: the oldest unauthenticated"
                                + " connections of the address with most are closed to make room; counts follow every "
                                + LOG_INTERVAL.toSeconds() + " s");
            }
            case REFUSED_AT_CAP -> {
                refusedAtCap.increment();
                floodLog.count("connections refused at the connection limit",
                        () -> "At the limit of " + limits.maxConnections() + " connections, all of them authenticated:"
                                + " new connections are closed; counts follow every " + LOG_INTERVAL.toSeconds() + " s");
            }
        }
    }

    /** Says once, at the start of a run of failures, what failed; the caller backs off. */
    private void acceptFailed(IOException e, boolean first) {
        String message = String.valueOf(e.getMessage());
        if (message.contains("Too many open files")) {
            // Our own descriptors are the ones we can free: a stranger's, never a known client's.
            Admission.Ticket t = admission.evictOne();
            if (t != null) t.cut().run();
            if (first) LOG.warning("accept() failed: too many open files: " + open.size() + " connections open, "
                    + OpenFiles.count() + " descriptors, " + OpenFiles.describeLimit()
                    + "; retrying with back-off up to " + MAX_BACKOFF_MILLIS + " ms");
        } else if (first) {
            LOG.warning("accept() failed: " + message + "; retrying with back-off up to " + MAX_BACKOFF_MILLIS + " ms");
        }
    }

    /** Stops accepting, gives connections in flight a grace period, then cuts the rest. */
    @Override
    public void close() {
        try {
            serverSocket.close();
        } catch (IOException e) {
            LOG.log(Level.FINE, "closing listening socket", e);
        }
        Thread a;
        synchronized (this) {
            a = acceptor;
        }
        if (a != null) {
            a.interrupt();
            join(a, SHUTDOWN_GRACE);
        }
        long deadline = System.nanoTime() + SHUTDOWN_GRACE.toNanos();
        for (Thread w : workers) {
            join(w, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        }
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException ignored) {
                // Best effort at shutdown.
            }
        }
        summaries.cancel();
        floodLog.flush();
        timers.close();
    }

    private static void join(Thread t, Duration timeout) {
        try {
            t.join(Math.max(1, timeout.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Number of connections being served right now. */
    public int activeConnections() {
        return open.size();
    }
}
