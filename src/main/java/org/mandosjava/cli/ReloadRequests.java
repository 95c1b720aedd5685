package org.mandosjava.cli;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * SIGHUP requests, served by one thread of their own: reloads run one at a time, in the order asked
 * for, and never on the signal dispatcher. Requests made while a reload runs join into one more
 * reload after it, which reads the files as they are by then.
 */
final class ReloadRequests {
    /** Holds at most one request not yet started: a second one asked for meanwhile is the same reload. */
    private final BlockingQueue<Boolean> pending = new ArrayBlockingQueue<>(1);

    ReloadRequests(Runnable reload) {
        // A platform thread: the reload reads clients.conf through the privileged reader, which must
        // not wake a virtual thread (PrivilegedFileReader says why).
        Thread.ofPlatform().daemon().name("clients-reload").start(() -> {
            try {
                while (true) {
                    pending.take();
                    reload.run();
                }
            } catch (InterruptedException e) {
                // Nobody interrupts it; the JVM ends it at exit.
            }
        });
    }

    /**
     * Asks for a reload; returns at once.
     *
     * @return false if a reload not yet started was already asked for (this request joins it)
     */
    boolean request() {
        return pending.offer(Boolean.TRUE);
    }
}
