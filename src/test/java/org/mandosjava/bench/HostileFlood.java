package org.mandosjava.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A host that floods a Mandos server with connections that are not clients, the way an attacker on
 * the LAN would: for each {@link Kind}, {@code perKind} connections from one local address, each
 * refilled as soon as the server closes it. New connections (first ones and refills together) are
 * paced to {@code connectsPerSecond}, so the flood measures the server's admission policy rather
 * than which process wins the CPU. One virtual thread per connection slot.
 */
public final class HostileFlood implements AutoCloseable {
    /** What one hostile connection does. */
    public enum Kind {
        /** Connects and says nothing. */
        IDLE,
        /** Sends the version line, then never starts TLS. */
        VERSION_THEN_SILENCE,
        /** Sends one byte of a never-ending version line every 5 s. */
        TRICKLE,
        /** Sends 16 KiB of random bytes, then waits. */
        RANDOM_BYTES,
        /** Completes the TCP handshake, then resets the connection. */
        RESET
    }

    private static final Duration TRICKLE_PERIOD = Duration.ofSeconds(5);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private final InetSocketAddress target;
    private final InetAddress from;
    private final long nanosPerConnect;
    private final AtomicLong nextConnect = new AtomicLong(System.nanoTime());
    private final Map<Kind, AtomicLong> connects = new EnumMap<>(Kind.class);
    private final AtomicLong failedConnects = new AtomicLong();
    private final AtomicLong open = new AtomicLong();
    private final AtomicLong mostOpen = new AtomicLong();
    private final List<Thread> slots = new ArrayList<>();
    private volatile boolean stopping;

    public HostileFlood(InetSocketAddress target, InetAddress from, int connectsPerSecond) {
        this.target = target;
        this.from = from;
        this.nanosPerConnect = 1_000_000_000L / connectsPerSecond;
        for (Kind k : Kind.values()) connects.put(k, new AtomicLong());
    }

    /** Starts {@code perKind} connection slots of each kind in {@code kinds}. */
    public synchronized void start(int perKind, List<Kind> kinds) {
        for (Kind kind : kinds) {
            for (int i = 0; i < perKind; i++) {
                long seed = ((long) kind.ordinal() << 32) | i;
                slots.add(Thread.ofVirtual().name("flood-" + kind + "-" + i).start(() -> slot(kind, seed)));
            }
        }
    }

    /** Connections made so far, by kind. */
    public Map<Kind, Long> connects() {
        Map<Kind, Long> m = new EnumMap<>(Kind.class);
        connects.forEach((k, n) -> m.put(k, n.get()));
        return m;
    }

    public long totalConnects() {
        return connects.values().stream().mapToLong(AtomicLong::get).sum();
    }

    /** The most connections this flood held open at once. */
    public long mostOpen() {
        return mostOpen.get();
    }

    /** Connection attempts that failed (refused, timed out). */
    public long failedConnects() {
        return failedConnects.get();
    }

    private void slot(Kind kind, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        while (!stopping) {
            pace();
            if (stopping) return;
            try (Socket s = new Socket()) {
                s.bind(new InetSocketAddress(from, 0));
                s.connect(target, (int) CONNECT_TIMEOUT.toMillis());
                connects.get(kind).incrementAndGet();
                mostOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
                try {
                    behave(kind, s, random);
                } finally {
                    open.decrementAndGet();
                }
            } catch (IOException e) {
                // The server closed or reset it: refill, as an attacker would.
                if (e instanceof java.net.ConnectException || e instanceof java.net.SocketTimeoutException) {
                    failedConnects.incrementAndGet();
                }
            }
        }
    }

    private void behave(Kind kind, Socket s, SplittableRandom random) throws IOException {
        OutputStream out = s.getOutputStream();
        InputStream in = s.getInputStream();
        switch (kind) {
            case IDLE -> awaitClose(in);
            case VERSION_THEN_SILENCE -> {
                out.write("1\r\n".getBytes(StandardCharsets.US_ASCII));
                awaitClose(in);
            }
            case TRICKLE -> {
                s.setSoTimeout((int) TRICKLE_PERIOD.toMillis());
                while (!stopping) {
                    out.write(' ');
                    try {
                        if (in.read() < 0) return;
                    } catch (java.net.SocketTimeoutException e) {
                        // Still open: the next byte.
                    }
                }
            }
            case RANDOM_BYTES -> {
                byte[] junk = new byte[16 * 1024];
                random.nextBytes(junk);
                out.write(junk);
                awaitClose(in);
            }
            case RESET -> s.setSoLinger(true, 0);
        }
    }

    private void awaitClose(InputStream in) throws IOException {
        byte[] buffer = new byte[4096];
        while (!stopping && in.read(buffer) >= 0) {
            // Whatever the server says is ignored; only its close ends the wait.
        }
    }

    /** Waits for this slot's turn in the paced sequence of connects. */
    private void pace() {
        long at = nextConnect.getAndUpdate(t -> Math.max(t, System.nanoTime() - nanosPerConnect) + nanosPerConnect);
        long wait;
        while (!stopping && (wait = at - System.nanoTime()) > 0) LockSupport.parkNanos(wait);
    }

    /** Stops the flood without waiting: every slot closes its connection and ends. */
    public void stop() {
        stopping = true;
        List<Thread> all;
        synchronized (this) {
            all = List.copyOf(slots);
        }
        for (Thread t : all) t.interrupt();
    }

    /** Stops the flood and waits until every connection it held is closed. */
    @Override
    public void close() throws InterruptedException {
        stop();
        List<Thread> all;
        synchronized (this) {
            all = List.copyOf(slots);
        }
        for (Thread t : all) t.join(Duration.ofSeconds(10));
    }
}
