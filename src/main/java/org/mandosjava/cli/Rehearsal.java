package org.mandosjava.cli;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A start of the real server inside {@code mandos --check}: {@link ServerMain} runs from its options
 * to serving on a configuration the check generated, so that the check proves the daemon's own start
 * and a run that trains the AOT cache covers it (its classes and their profiles), not only the TLS
 * path. It differs from the daemon only where a check must not act on the system: the process keeps
 * its privileges (dropping them would leave the check unable to write the cache), no signal handler
 * is installed, no audit record reaches the journal or syslog, and systemd is told nothing.
 */
final class Rehearsal {
    private final CountDownLatch stop = new CountDownLatch(1);
    private final CompletableFuture<InetSocketAddress> serving = new CompletableFuture<>();

    /** Called by the server once it accepts connections. */
    void serving(InetSocketAddress address) {
        serving.complete(address);
    }

    /** Released to end the server's run. */
    CountDownLatch stop() {
        return stop;
    }

    /** The address the server serves on, once it does. */
    InetSocketAddress awaitServing(Duration limit) throws TimeoutException, InterruptedException, ExecutionException {
        return serving.get(limit.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The server ended before serving (its exit status says why). */
    void ended() {
        serving.completeExceptionally(new IllegalStateException("the server ended before serving"));
    }

    void requestStop() {
        stop.countDown();
    }
}
