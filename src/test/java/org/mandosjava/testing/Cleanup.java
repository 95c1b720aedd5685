package org.mandosjava.testing;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * What a test started, to be stopped newest first (a server before the bus it uses), also when the
 * test failed. A resource that fails to close does not keep the others running.
 */
public final class Cleanup implements AutoCloseable {
    private final Deque<AutoCloseable> started = new ArrayDeque<>();

    /** Registers {@code resource} for {@link #close()}; returns it. */
    public synchronized <T extends AutoCloseable> T track(T resource) {
        started.push(resource);
        return resource;
    }

    /** Closes everything registered, newest first; failures are reported on stderr, not thrown. */
    @Override
    public synchronized void close() {
        while (!started.isEmpty()) {
            try {
                started.pop().close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                System.err.println("cleanup interrupted: " + e);
            } catch (Exception e) {
                System.err.println("cleanup: " + e);
            }
        }
    }
}
