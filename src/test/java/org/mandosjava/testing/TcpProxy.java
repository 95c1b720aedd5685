package org.mandosjava.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A loopback TCP proxy in front of one server, controlled by the test: {@link #cut()} blackholes
 * (connections stay open, nothing is forwarded either way, new connections are accepted and left
 * hanging, like a silent network partition), {@link #heal()} resumes forwarding what was held back
 * (as TCP's retransmission would), {@link #reset()} closes every connection at once with a reset.
 */
public final class TcpProxy implements AutoCloseable {
    private static final int BUFFER = 16 * 1024;

    private final InetSocketAddress target;
    private final ServerSocket listener;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final Object gate = new Object();
    private boolean cut; // guarded by gate
    private volatile boolean closed;
    private final java.util.concurrent.atomic.AtomicInteger accepted = new java.util.concurrent.atomic.AtomicInteger();
    private final Thread acceptor;

    private TcpProxy(InetSocketAddress target) throws IOException {
        this.target = target;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = Thread.ofVirtual().name("proxy-accept").start(this::accept);
    }

    /** A proxy on 127.0.0.1 (a free port) forwarding to {@code host:port}. */
    public static TcpProxy to(String host, int port) throws IOException {
        return new TcpProxy(new InetSocketAddress(host, port));
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** How many connections clients have opened through the proxy so far. */
    public int accepted() {
        return accepted.get();
    }

    /** Stops forwarding silently; sockets stay open. */
    public void cut() {
        synchronized (gate) {
            cut = true;
        }
    }

    /** Forwards again. */
    public void heal() {
        synchronized (gate) {
            cut = false;
            gate.notifyAll();
        }
    }

    /** Closes every open connection with a TCP reset; new ones are still accepted. */
    public void reset() {
        for (Socket s : sockets) abort(s);
    }

    private void awaitOpen() throws InterruptedException {
        synchronized (gate) {
            while (cut && !closed) gate.wait();
        }
    }

    private void accept() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return; // closed
            }
            sockets.add(client);
            accepted.incrementAndGet();
            Thread.ofVirtual().name("proxy-conn").start(() -> connect(client));
        }
    }

    private void connect(Socket client) {
        Socket upstream = new Socket();
        try {
            awaitOpen();
            upstream.connect(target, 2000);
            sockets.add(upstream);
            Thread.ofVirtual().name("proxy-up").start(() -> pump(client, upstream));
            pump(upstream, client);
        } catch (IOException | InterruptedException e) {
            abort(client);
            abort(upstream);
        }
    }

    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[BUFFER];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                awaitOpen();
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // one side closed or was reset: end the pair
        } finally {
            abort(from);
            abort(to);
        }
    }

    private void abort(Socket s) {
        try {
            if (!s.isClosed() && s.isConnected()) s.setSoLinger(true, 0);
            s.close();
        } catch (IOException ignored) {
            // already gone
        }
        sockets.remove(s);
    }

    @Override
    public void close() {
        closed = true;
        heal();
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        reset();
        acceptor.interrupt();
    }
}
