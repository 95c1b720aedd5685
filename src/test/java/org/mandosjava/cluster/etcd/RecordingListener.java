package org.mandosjava.cluster.etcd;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A watch listener that records every call, for tests to wait on in order. */
final class RecordingListener implements Watch.Listener {
    sealed interface Call {}
    record Events(List<WatchEvent> events, long revision) implements Call {}
    record Connected(URI endpoint, long revision) implements Call {}
    record Progress(long revision) implements Call {}
    record Disconnected(EtcdException cause) implements Call {}
    record Closed(EtcdException cause) implements Call {}

    final BlockingQueue<Call> calls = new LinkedBlockingQueue<>();
    final BlockingQueue<WatchEvent> events = new LinkedBlockingQueue<>();

    @Override
    public void onEvents(List<WatchEvent> list, long revision) {
        calls.add(new Events(list, revision));
        events.addAll(list);
    }

    @Override
    public void onConnected(URI endpoint, long revision) {
        calls.add(new Connected(endpoint, revision));
    }

    @Override
    public void onProgress(long revision) {
        calls.add(new Progress(revision));
    }

    @Override
    public void onDisconnected(EtcdException cause) {
        calls.add(new Disconnected(cause));
    }

    @Override
    public void onClosed(EtcdException cause) {
        calls.add(new Closed(cause));
    }

    /** The next event, or an AssertionError after {@code timeout}. */
    WatchEvent nextEvent(Duration timeout) throws InterruptedException {
        WatchEvent e = events.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        if (e == null) throw new AssertionError("no watch event within " + timeout + "; calls: " + calls);
        return e;
    }

    /** Skips calls until one of {@code type} arrives; it, or an AssertionError after {@code timeout}. */
    <T extends Call> T next(Class<T> type, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            Call c = left > 0 ? calls.poll(left, TimeUnit.NANOSECONDS) : null;
            if (c == null) throw new AssertionError("no " + type.getSimpleName() + " within " + timeout);
            if (type.isInstance(c)) return type.cast(c);
        }
    }
}
