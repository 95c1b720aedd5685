package org.mandosjava.cluster.etcd;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.mandosjava.cluster.etcd.EtcdException.Kind;
import org.mandosjava.cluster.etcd.EtcdTransport.Retry;
import org.mandosjava.json.Json;

/**
 * A running watch: one streaming gateway response, re-opened after a break from the revision after
 * the last one delivered, so no change is lost or repeated.
 * <p>
 * Threads: a reader (virtual) opens and reads the stream, a watchdog (virtual) probes a silent
 * stream's endpoint and aborts the stream when the probe fails, and a dispatcher (virtual) calls
 * the {@link Listener} one message at a time, in order. A stream that breaks (endpoint gone, no
 * leader, dead) is reported with {@link Listener#onDisconnected} and re-opened on the next endpoint
 * after a short back-off; a compaction or a permanent error ends the watch. After {@link #close()}
 * returns, the listener is called at most once more, with {@link Listener#onClosed}.
 */
public final class Watch implements AutoCloseable {
    /** Receives a watch's messages, in order, on the watch's dispatcher thread. */
    public interface Listener {
        /** Changes of one or more revisions, in revision order; everything up to {@code revision} is delivered. */
        void onEvents(List<WatchEvent> events, long revision);

        /** The stream is open (again) on {@code endpoint}; {@code revision} is the store's revision now. */
        default void onConnected(URI endpoint, long revision) {}

        /** Nothing happened in the range up to {@code revision}. */
        default void onProgress(long revision) {}

        /**
         * The stream broke, or an attempt to re-open it failed (once per attempt); the watch keeps
         * trying, from the next endpoint. Changes may be pending until onConnected.
         */
        default void onDisconnected(EtcdException cause) {}

        /**
         * The watch has ended for good: {@code cause} is null after {@link #close()}, COMPACTED when
         * the next revision to deliver is gone (re-read, then start a new watch), or another kind for
         * an error retrying cannot fix (AUTH, REJECTED), CLOSED when the client was closed or a
         * listener call threw (the watch ends rather than skip a change).
         */
        void onClosed(EtcdException cause);
    }

    private static final int QUEUE_LIMIT = 1024;
    private static final long BACKOFF_MIN_NANOS = Duration.ofMillis(50).toNanos();
    private static final long BACKOFF_MAX_NANOS = Duration.ofSeconds(1).toNanos();
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(2);

    private sealed interface Signal {}
    private record Events(List<WatchEvent> events, long revision) implements Signal {}
    private record Connected(URI endpoint, long revision) implements Signal {}
    private record Progress(long revision) implements Signal {}
    private record Disconnected(EtcdException cause) implements Signal {}
    private record Ended(EtcdException cause) implements Signal {}

    private final EtcdTransport transport;
    private final WatchOptions options;
    private final Listener listener;
    private final BlockingQueue<Signal> queue = new LinkedBlockingQueue<>(QUEUE_LIMIT);
    private final Object streamLock = new Object();
    /** The open stream and its endpoint, guarded by streamLock; null between streams. */
    private InputStream stream;
    private URI streamEndpoint;
    private volatile long lastMessageNanos;
    /** The next revision to ask for when (re)opening; written by the reader only. */
    private volatile long nextRevision;
    private volatile boolean closed;
    private Thread reader;
    private Thread watchdog;
    private Thread dispatcher;

    private Watch(EtcdTransport transport, WatchOptions options, Listener listener) {
        this.transport = transport;
        this.options = options;
        this.listener = listener;
        this.nextRevision = options.startRevision();
    }

    static Watch start(EtcdTransport transport, WatchOptions options, Listener listener) {
        Watch w = new Watch(transport, options, listener);
        w.dispatcher = Thread.ofVirtual().name("etcd-watch-dispatch").start(w::dispatch);
        w.reader = Thread.ofVirtual().name("etcd-watch-read").start(w::read);
        w.watchdog = Thread.ofVirtual().name("etcd-watch-dog").start(w::guard);
        return w;
    }

    /** The last revision whose changes have been handed to the dispatcher (0 before any). */
    public long lastRevision() {
        return Math.max(0, nextRevision - 1);
    }

    /** Whether a stream is open right now. */
    public boolean isConnected() {
        synchronized (streamLock) {
            return stream != null;
        }
    }

    // ---- reader

    private void read() {
        int endpointIndex = Math.max(0, transport.endpoints().indexOf(transport.preferredEndpoint()));
        long backoff = BACKOFF_MIN_NANOS;
        while (!closed) {
            URI endpoint = transport.endpoints().get(endpointIndex);
            EtcdException broke;
            try {
                broke = readOneStream(endpoint);
                backoff = BACKOFF_MIN_NANOS;
            } catch (EtcdException e) {
                broke = e;
            } catch (Terminal t) {
                offer(new Ended(t.cause));
                return;
            }
            // The watchdog interrupts to abort a dead stream; that interrupt is spent now.
            Thread.interrupted();
            if (closed) break;
            if (broke.kind() == Kind.AUTH && transport.settings().user() != null
                    && broke.getMessage().contains("invalid auth token")) {
                try {
                    transport.authenticate();
                    continue;
                } catch (EtcdException e) {
                    broke = e;
                }
            }
            if (transport.isClosed()) {
                offer(new Ended(new EtcdException(Kind.CLOSED, "etcd client closed", null)));
                return;
            }
            if (broke.kind() == Kind.AUTH || broke.kind() == Kind.REJECTED || broke.kind() == Kind.COMPACTED) {
                offer(new Ended(broke));
                return;
            }
            offer(new Disconnected(broke));
            endpointIndex = (endpointIndex + 1) % transport.endpoints().size();
            try {
                Thread.sleep(Duration.ofNanos(backoff));
            } catch (InterruptedException e) {
                continue; // closed (the loop ends) or a late abort (retry now)
            }
            backoff = Math.min(BACKOFF_MAX_NANOS, backoff * 2);
        }
        offer(new Ended(null));
    }

    /** A condition that ends the watch. */
    private static final class Terminal extends Exception {
        final EtcdException cause;

        Terminal(EtcdException cause) {
            super(cause);
            this.cause = cause;
        }
    }

    /** Reads one stream until it breaks; returns why it broke. */
    private EtcdException readOneStream(URI endpoint) throws EtcdException, Terminal {
        HttpResponse<InputStream> response = transport.stream(endpoint, "/v3/watch", Json.write(createRequest()),
                transport.settings().timeout().toNanos());
        InputStream in = response.body();
        synchronized (streamLock) {
            if (closed) {
                closeQuietly(in);
                throw new EtcdException(Kind.CLOSED, "watch closed", endpoint);
            }
            stream = in;
            streamEndpoint = endpoint;
            lastMessageNanos = System.nanoTime();
        }
        try (BufferedInputStream buffered = new BufferedInputStream(in)) {
            while (true) {
                String line = readLine(buffered);
                if (line == null) return new EtcdException(Kind.UNAVAILABLE, endpoint + ": watch stream ended", endpoint);
                lastMessageNanos = System.nanoTime();
                if (line.isBlank()) continue;
                handle(endpoint, line);
            }
        } catch (IOException e) {
            if (closed) return new EtcdException(Kind.CLOSED, "watch closed", endpoint);
            EtcdException dead = deadCause;
            return dead != null ? dead
                    : new EtcdException(Kind.UNAVAILABLE, endpoint + ": watch stream broke: " + e, endpoint);
        } finally {
            synchronized (streamLock) {
                stream = null;
                streamEndpoint = null;
                deadCause = null;
            }
        }
    }

    private Map<String, Object> createRequest() {
        Map<String, Object> create = new LinkedHashMap<>();
        create.put("key", Wire.b64(options.key()));
        if (options.rangeEnd() != null) create.put("range_end", Wire.b64(options.rangeEnd()));
        if (nextRevision > 0) create.put("start_revision", Long.toString(nextRevision));
        if (options.progressNotify()) create.put("progress_notify", true);
        if (options.prevKv()) create.put("prev_kv", true);
        return Map.of("create_request", create);
    }

    private void handle(URI endpoint, String line) throws EtcdException, Terminal {
        Map<String, Object> message;
        try {
            message = Json.parseObject(line);
        } catch (IllegalArgumentException e) {
            throw new Terminal(new EtcdException(Kind.REJECTED, endpoint + ": unreadable watch message: "
                    + e.getMessage(), endpoint));
        }
        if (message.containsKey("error")) throw EtcdTransport.error(endpoint, 200, line);
        try {
            Map<String, Object> r = Wire.object(message, "result");
            long revision = Wire.revision(r);
            if (Wire.bool(r, "canceled")) {
                long compact = Wire.number(r, "compact_revision");
                if (compact > 0) throw new Terminal(EtcdException.compacted(compact, endpoint));
                String reason = Wire.text(r, "cancel_reason");
                throw EtcdTransport.fromStatus(endpoint, reason.contains("no leader") ? 14 : 2,
                        "watch cancelled" + (reason.isEmpty() ? "" : ": " + reason));
            }
            if (Wire.bool(r, "created")) {
                offer(new Connected(endpoint, revision));
                return;
            }
            List<?> raw = Wire.list(r, "events");
            if (raw.isEmpty()) {
                // A progress notification: every change up to its revision has been sent.
                if (revision >= nextRevision) nextRevision = revision + 1;
                offer(new Progress(revision));
                return;
            }
            List<WatchEvent> events = new ArrayList<>(raw.size());
            for (Object o : raw) events.add(Wire.event(Wire.asObject(o, "events[]")));
            long last = events.get(events.size() - 1).revision();
            nextRevision = last + 1;
            offer(new Events(List.copyOf(events), last));
        } catch (IllegalArgumentException e) {
            throw new Terminal(new EtcdException(Kind.REJECTED, endpoint + ": bad watch message: " + e.getMessage(),
                    endpoint));
        }
    }

    /** One '\n'-terminated line, bounded; null at end of stream. */
    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
            if (b == '\n') return line.toString(StandardCharsets.UTF_8);
            if (line.size() >= Json.MAX_CHARS) throw new IOException("watch message longer than " + Json.MAX_CHARS);
            line.write(b);
        }
    }

    /** Hands a signal to the dispatcher, waiting while it is behind; never blocks once closed. */
    private void offer(Signal s) {
        while (!closed) {
            try {
                queue.put(s);
                return;
            } catch (InterruptedException e) {
                // close() or a stale abort: the loop re-checks closed
            }
        }
        queue.offer(s);
    }

    // ---- watchdog

    /** Set (under streamLock) when the watchdog aborts a stream, so the reader reports why. */
    private volatile EtcdException deadCause;

    private void guard() {
        long half = options.deadAfter().toNanos() / 2;
        while (!closed) {
            try {
                Thread.sleep(Duration.ofNanos(half));
            } catch (InterruptedException e) {
                return;
            }
            URI endpoint;
            synchronized (streamLock) {
                endpoint = streamEndpoint;
            }
            if (endpoint == null || System.nanoTime() - lastMessageNanos < half) continue;
            try {
                transport.once(endpoint, "/v3/kv/range", Json.write(Wire.range(options.key(), null, 0, 1)), half,
                        Retry.READ, true);
            } catch (EtcdException e) {
                if (closed) return;
                if (e.kind() == Kind.AUTH) continue; // a token matter, not a dead stream
                abort(endpoint, new EtcdException(Kind.TIMEOUT, endpoint + ": watch stream silent for "
                        + Duration.ofNanos(System.nanoTime() - lastMessageNanos).toMillis()
                        + " ms and the endpoint failed a probe: " + e.getMessage(), endpoint, false, -1, e));
            }
        }
    }

    /** Ends the stream on {@code endpoint}, if it is still the open one; the reader then reconnects. */
    private void abort(URI endpoint, EtcdException cause) {
        InputStream in;
        synchronized (streamLock) {
            if (stream == null || !endpoint.equals(streamEndpoint)) return;
            deadCause = cause;
            in = stream;
        }
        closeQuietly(in);
        reader.interrupt();
    }

    // ---- dispatcher

    private void dispatch() {
        while (true) {
            Signal s;
            try {
                s = queue.take();
            } catch (InterruptedException e) {
                continue; // only close() interrupts, and it queues the end
            }
            if (closed && !(s instanceof Ended)) continue;
            try {
                switch (s) {
                    case Events e -> listener.onEvents(e.events(), e.revision());
                    case Connected c -> listener.onConnected(c.endpoint(), c.revision());
                    case Progress p -> listener.onProgress(p.revision());
                    case Disconnected d -> listener.onDisconnected(d.cause());
                    case Ended e -> {
                        stopThreads();
                        listener.onClosed(e.cause());
                        return;
                    }
                }
            } catch (RuntimeException | Error e) {
                if (s instanceof Ended) throw e;
                // A listener that failed may have missed a change: going on would hide the gap.
                stopThreads();
                listener.onClosed(new EtcdException(Kind.CLOSED, "the watch's listener failed: " + e, null, false,
                        -1, e));
                return;
            }
        }
    }

    private void stopThreads() {
        InputStream in;
        synchronized (streamLock) {
            closed = true;
            in = stream;
            stream = null; // not connected from now on, whenever the reader notices
        }
        if (in != null) closeQuietly(in);
        reader.interrupt();
        watchdog.interrupt();
    }

    /** Stops the watch; waits (bounded) for the listener's last call unless called from it. */
    @Override
    public void close() {
        InputStream in;
        synchronized (streamLock) {
            if (closed) return;
            closed = true;
            in = stream;
            stream = null;
        }
        if (in != null) closeQuietly(in);
        // Whatever is still queued is dropped: the listener's last call is onClosed(null).
        queue.clear();
        queue.offer(new Ended(null));
        reader.interrupt();
        watchdog.interrupt();
        if (Thread.currentThread() != dispatcher) {
            try {
                dispatcher.join(CLOSE_WAIT);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // the stream is being abandoned
        }
    }
}
