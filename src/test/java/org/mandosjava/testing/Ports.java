package org.mandosjava.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;

/** Loopback ports for test servers. */
public final class Ports {
    public static final InetAddress LOOPBACK6 = InetAddress.getLoopbackAddress().getAddress().length == 16
            ? InetAddress.getLoopbackAddress() : v6Loopback();
    private static final int PROBE_TIMEOUT_MILLIS = 200;

    private Ports() {}

    private static InetAddress v6Loopback() {
        try {
            return InetAddress.getByName("::1");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Below Linux's default ephemeral range (32768-60999): a port the kernel hands to outgoing
     * connections can be taken between our probe and the server's bind by any client socket (a flood
     * or load generator opens thousands), and a server on the wildcard address then fails to listen.
     */
    private static final int FIRST = 20000;
    private static final int LAST = 32767;
    private static final int TRIES = 200;

    /**
     * A port free on every address right now (another process could still take it), chosen at
     * random below the ephemeral range.
     */
    public static int freePort() throws IOException {
        IOException last = null;
        for (int i = 0; i < TRIES; i++) {
            int port = java.util.concurrent.ThreadLocalRandom.current().nextInt(FIRST, LAST + 1);
            try (ServerSocket probe = new ServerSocket()) {
                probe.bind(new InetSocketAddress(port), 1);
                return port;
            } catch (IOException taken) {
                last = taken;
            }
        }
        throw new IOException("no free port in " + FIRST + "-" + LAST + " after " + TRIES + " tries", last);
    }

    /**
     * {@code count} ports, each free right now and all different: two probes in a row may be
     * handed the same port once the first probe has closed, so a process given two of them
     * (etcd's client and peer port) would fail to bind the second.
     */
    public static int[] distinctFreePorts(int count) throws IOException {
        var ports = new java.util.LinkedHashSet<Integer>();
        for (int i = 0; ports.size() < count; i++) {
            if (i >= TRIES) throw new IOException("no " + count + " distinct free ports after " + TRIES + " tries");
            ports.add(freePort());
        }
        return ports.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Waits until something accepts TCP connections on [::1]:port, or {@code alive} turns false. */
    public static void awaitListening(int port, Duration timeout, java.util.function.BooleanSupplier alive)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && alive.getAsBoolean()) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(LOOPBACK6, port), PROBE_TIMEOUT_MILLIS);
                return;
            } catch (IOException notYet) {
                Thread.sleep(50); // polling readiness, bounded by the deadline
            }
        }
        throw new IllegalStateException("nothing listening on [::1]:" + port + " within " + timeout);
    }
}
