package org.mandosjava.server;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.mandosjava.protocol.ServerHandshake;

/**
 * The listener: one platform thread blocks in accept(), each connection runs on its own virtual
 * thread. A semaphore acquired before accept() caps connections in flight; beyond the cap, peers
 * wait in the kernel's backlog instead of costing memory here.
 *
 * <p>Lifecycle: created listening (the socket is bound and listening before the constructor
 * returns, so the port is known), {@link #start()} begins accepting, {@link #close()} stops.
 */
public final class MandosServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(MandosServer.class.getName());
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(2);

    private final ServerSocket serverSocket;
    private final Predicate<InetAddress> admits;
    private final ConnectionHandler handler;
    private final Semaphore permits;
    private final ScheduledExecutorService watchdog;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Set<Thread> workers = ConcurrentHashMap.newKeySet();
    private final AtomicLong connectionIds = new AtomicLong();
    private Thread acceptor;
    /** {@link System#nanoTime()} of the accept loop's latest round; it goes round at least every {@link #ROUND}. */
    private volatile long heartbeat = System.nanoTime();
    private static final Duration ROUND = Duration.ofSeconds(1);

    public MandosServer(ServerSocket serverSocket, ClientRegistry registry, ServerHandshake handshake,
            ConnectionLimits limits) {
        this(new ListenSocket.Listener(serverSocket, a -> true), registry, handshake, limits);
    }

    public MandosServer(ListenSocket.Listener listener, ClientRegistry registry, ServerHandshake handshake,
            ConnectionLimits limits) {
        this.serverSocket = listener.socket();
        this.admits = listener.admits();
        this.permits = new Semaphore(limits.maxConnections());
        this.watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mandos-watchdog");
            t.setDaemon(true);
            return t;
        });
        boolean dualStack = localAddress().getAddress() instanceof java.net.Inet6Address;
        this.handler = new ConnectionHandler(registry, handshake, limits, watchdog, dualStack);
    }

    public InetSocketAddress localAddress() {
        return (InetSocketAddress) serverSocket.getLocalSocketAddress();
    }

    public synchronized void start() {
        if (acceptor != null) throw new IllegalStateException("already started");
        acceptor = Thread.ofPlatform().name("mandos-accept").daemon(false).start(this::acceptLoop);
    }

    /** When the accept loop last went round (a watchdog's sign of life; idle, it still goes round every second). */
    public long acceptLoopHeartbeat() {
        return heartbeat;
    }

    private void acceptLoop() {
        try {
            serverSocket.setSoTimeout((int) ROUND.toMillis());
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot set the accept timeout; the heartbeat beats only with connections", e);
        }
        while (!serverSocket.isClosed()) {
            heartbeat = System.nanoTime();
            Socket socket;
            try {
                if (!permits.tryAcquire(ROUND.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) continue;
                socket = serverSocket.accept();
            } catch (InterruptedException e) {
                return;
            } catch (java.net.SocketTimeoutException e) {
                permits.release();
                continue;
            } catch (IOException e) {
                permits.release();
                if (serverSocket.isClosed()) return;
                LOG.log(Level.WARNING, "accept failed", e);
                continue;
            }
            if (!admits.test(socket.getLocalAddress())) {
                // Came in on another interface than --interface (the JDK cannot bind to a device).
                LOG.fine(() -> "Refused a connection to " + socket.getLocalAddress() + ": not on the chosen interface");
                closeQuietly(socket);
                permits.release();
                continue;
            }
            long id = connectionIds.incrementAndGet();
            open.add(socket);
            Thread worker = Thread.ofVirtual().name("conn-" + id).unstarted(() -> {
                try {
                    handler.serve(socket, id);
                } finally {
                    open.remove(socket);
                    workers.remove(Thread.currentThread());
                    permits.release();
                }
            });
            workers.add(worker);
            worker.start();
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
        watchdog.shutdownNow();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Nothing was said on it.
        }
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
