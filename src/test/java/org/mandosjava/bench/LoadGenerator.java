package org.mandosjava.bench;

import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsFatalAlertReceived;

/**
 * Plays many rebooting machines at once: each connection speaks the real protocol through
 * {@link org.mandosjava.protocol.ClientHandshake} (version line, TLS 1.3 as the TLS server with a raw
 * Ed25519 key, secret read to EOF; no OpenPGP decryption) and checks that the secret is the one
 * configured for its key. Against an IPv4 target each connection comes from its machine's own
 * loopback address ({@link BenchClient#source}), as a rack's machines do.
 *
 * <p>Bounded: a closed loop runs for a fixed window; a burst waits at most a fixed limit. Connections
 * still in flight when the bound is reached are cut and counted as abandoned, not as failures.
 */
final class LoadGenerator {
    private final InetSocketAddress target;
    private final Duration ioTimeout;

    LoadGenerator(InetSocketAddress target, Duration ioTimeout) {
        this.target = target;
        this.ioTimeout = ioTimeout;
    }

    /**
     * @param unlocks secrets received intact within the window
     * @param failures count per reason
     * @param abandoned connections cut at the end of the window
     * @param latency connect-to-EOF times of the unlocks
     * @param window the measured time
     */
    record Result(long unlocks, Map<String, Long> failures, long abandoned, LatencyStats latency, Duration window) {
        double perSecond() {
            return window.toNanos() == 0 ? 0 : unlocks * 1e9 / window.toNanos();
        }

        long failureCount() {
            return failures.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** One complete fetch; the secret, or an exception saying why not. */
    byte[] fetchOnce(BenchClient client) throws IOException {
        try (Socket socket = new Socket()) {
            connect(socket, client);
            return client.handshake().fetch(socket);
        }
    }

    /** Connects from the client's own address where the target can be reached from it (IPv4 loopback). */
    private void connect(Socket socket, BenchClient client) throws IOException {
        socket.setTcpNoDelay(true);
        if (client.source() != null && target.getAddress() instanceof Inet4Address) {
            socket.bind(new InetSocketAddress(client.source(), 0));
        }
        socket.connect(target, (int) ioTimeout.toMillis());
        socket.setSoTimeout((int) ioTimeout.toMillis());
    }

    /**
     * {@code concurrency} connections at a time, each starting the next as soon as it is done. Each
     * connection slot has keys of its own: slot {@code i} goes round keys {@code i, i + concurrency,
     * …} of {@code clients}, so with at least as many clients as connections no two connections at
     * once present the same key (one machine does not ask 64 times at once). The window lasts {@code length}, extended until at least
     * {@code minUnlocks} secrets have arrived (a slow server may finish nothing in a short window),
     * but never beyond {@code cap}.
     */
    Result closedLoop(List<BenchClient> clients, int concurrency, Duration length, int minUnlocks, Duration cap)
            throws InterruptedException {
        Run run = new Run();
        List<Thread> workers = new ArrayList<>(concurrency);
        for (int i = 0; i < concurrency; i++) {
            List<BenchClient> own = slotKeys(clients, concurrency, i);
            workers.add(Thread.ofVirtual().name("load-" + i).start(() -> {
                Samples mine = run.newSamples();
                for (long n = 0; !run.stopping; n++) {
                    run.attempt(own.get((int) (n % own.size())), mine);
                }
            }));
        }
        long end = run.start + length.toNanos();
        long hardEnd = run.start + Math.max(length.toNanos(), cap.toNanos());
        while (true) {
            long now = System.nanoTime();
            if (now >= hardEnd || (now >= end && run.unlocks.sum() >= minUnlocks)) break;
            Thread.sleep(Duration.ofNanos(Math.min(Math.max(1, (now < end ? end : hardEnd) - now), 50_000_000L)));
        }
        return run.finish(workers, null);
    }

    /**
     * A closed loop that ends when {@code wanted} secrets have arrived, or at {@code cap}: the first
     * few thousand unlocks of a server that has just started (its window is as long as they took).
     */
    Result closedLoopFor(List<BenchClient> clients, int concurrency, int wanted, Duration cap)
            throws InterruptedException {
        return closedLoop(clients, concurrency, Duration.ZERO, wanted, cap);
    }

    /**
     * The keys of connection slot {@code slot} of {@code slots}: every {@code slots}-th client from
     * {@code slot} on; with fewer clients than slots, slots share them ({@code slot mod size}).
     */
    static List<BenchClient> slotKeys(List<BenchClient> clients, int slots, int slot) {
        if (clients.size() < slots) return List.of(clients.get(slot % clients.size()));
        List<BenchClient> own = new ArrayList<>();
        for (int k = slot; k < clients.size(); k += slots) own.add(clients.get(k));
        return own;
    }

    /** A closed loop of exactly {@code length}. */
    Result closedLoop(List<BenchClient> clients, int concurrency, Duration length) throws InterruptedException {
        return closedLoop(clients, concurrency, length, 0, length);
    }

    /**
     * One connection per client, all opened at once (a rack powering up); waits until every one is
     * done or {@code limit} has passed. The window is from the first connect to the last secret.
     */
    Result burst(List<BenchClient> clients, Duration limit) throws InterruptedException {
        Run run = new Run();
        long deadline = run.start + limit.toNanos();
        List<Thread> workers = new ArrayList<>(clients.size());
        for (BenchClient c : clients) {
            workers.add(Thread.ofVirtual().start(() -> run.attempt(c, run.newSamples())));
        }
        for (Thread w : workers) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !w.join(Duration.ofNanos(left))) break;
        }
        return run.finish(workers, Duration.ofNanos(Math.max(0, run.lastDone.get() - run.start)));
    }

    private static final class Samples {
        private long[] values = new long[256];
        private int size;

        void add(long v) {
            if (size == values.length) values = Arrays.copyOf(values, size * 2);
            values[size++] = v;
        }
    }

    /** The shared state of one run. */
    private final class Run {
        final long start = System.nanoTime();
        final AtomicLong lastDone = new AtomicLong(start);
        final Set<Socket> open = ConcurrentHashMap.newKeySet();
        final Map<String, LongAdder> failures = new ConcurrentHashMap<>();
        final List<Samples> samples = new ArrayList<>();
        final LongAdder abandoned = new LongAdder();
        final LongAdder unlocks = new LongAdder();
        /** When the window closed; attempts ending later are abandoned. */
        volatile long end = Long.MAX_VALUE;
        volatile boolean stopping;

        synchronized Samples newSamples() {
            Samples s = new Samples();
            samples.add(s);
            return s;
        }

        void attempt(BenchClient client, Samples into) {
            long t0 = System.nanoTime();
            Socket socket = new Socket();
            open.add(socket);
            String failure = null;
            try (socket) {
                connect(socket, client);
                byte[] secret = client.handshake().fetch(socket);
                if (secret.length == 0) failure = "refused (no secret)";
                else if (!Arrays.equals(secret, client.secret())) failure = "wrong secret";
            } catch (IOException | RuntimeException e) {
                failure = stopping ? null : reason(e);
                if (stopping) {
                    abandoned.increment();
                    return;
                }
            } finally {
                open.remove(socket);
            }
            long t1 = System.nanoTime();
            if (t1 > end) {
                abandoned.increment(); // finished after the window closed: not part of it
                return;
            }
            lastDone.accumulateAndGet(t1, Math::max);
            if (failure != null) {
                failures.computeIfAbsent(failure, k -> new LongAdder()).increment();
            } else {
                synchronized (into) {
                    into.add(t1 - t0);
                }
                unlocks.increment();
            }
        }

        /** Closes the window now; {@code window} null means from the start until now. */
        Result finish(List<Thread> workers, Duration window) throws InterruptedException {
            end = System.nanoTime();
            stopping = true;
            if (window == null) window = Duration.ofNanos(end - start);
            for (Socket s : open) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // Cutting it is all we want.
                }
            }
            for (Thread w : workers) w.join(Duration.ofSeconds(5));
            Samples all = new Samples();
            synchronized (this) {
                for (Samples s : samples) {
                    synchronized (s) {
                        for (int i = 0; i < s.size; i++) all.add(s.values[i]);
                    }
                }
            }
            Map<String, Long> counts = new TreeMap<>();
            failures.forEach((k, v) -> counts.put(k, v.sum()));
            return new Result(all.size, counts, abandoned.sum(), LatencyStats.of(Arrays.copyOf(all.values, all.size)),
                    window);
        }
    }

    /** A short, stable name for why a connection failed, for the failure table. */
    static String reason(Throwable e) {
        if (e instanceof TlsFatalAlertReceived r) return "alert from server: " + AlertDescription.getName(r.getAlertDescription());
        if (e instanceof TlsFatalAlert a) return "TLS alert: " + AlertDescription.getName(a.getAlertDescription());
        if (e instanceof ConnectException) return "connect refused";
        if (e instanceof SocketTimeoutException) return "timeout";
        if (e instanceof EOFException) return "closed early (EOF)";
        if (e instanceof SocketException s) {
            String m = String.valueOf(s.getMessage());
            return m.contains("reset") ? "connection reset" : "socket: " + m;
        }
        return e.getClass().getSimpleName();
    }
}
