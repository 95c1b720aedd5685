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

    /** A port free on [::1] right now (the kernel's choice; another process could still take it). */
    public static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, LOOPBACK6)) {
            probe.setReuseAddress(true);
            return probe.getLocalPort();
        }
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
