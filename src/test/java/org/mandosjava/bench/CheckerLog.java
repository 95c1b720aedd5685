package org.mandosjava.bench;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Records when each client's checker ran. The checker is {@code echo NAME >> FILE}: dash's built-in
 * echo, so one checker run is one {@code /bin/sh} and nothing else. The file is polled every
 * {@link #POLL_MILLIS} ms and each new line is stamped when seen, which bounds the timing error.
 * (A FIFO would give exact times, but a stalled reader would block every checker.)
 */
final class CheckerLog implements AutoCloseable {
    static final int POLL_MILLIS = 20;

    private final Path file;
    private final RandomAccessFile in;
    private final Thread reader;
    private final Map<String, List<Long>> runs = new HashMap<>();
    private volatile boolean running = true;
    private volatile long since = Long.MIN_VALUE;

    private CheckerLog(Path file) throws IOException {
        this.file = file;
        this.in = new RandomAccessFile(file.toFile(), "r");
        this.reader = Thread.ofPlatform().daemon().name("checker-log").start(this::poll);
    }

    static CheckerLog create(Path file) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file);
        // The server's checkers run as its unprivileged account.
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
        return new CheckerLog(file);
    }

    /** The checker command for clients.conf ({@code %%} survives start-time interpolation). */
    String checkerCommand() {
        return "echo %%(name)s >> " + file;
    }

    private void poll() {
        StringBuilder line = new StringBuilder();
        byte[] buf = new byte[65536];
        try {
            while (running) {
                long now = System.nanoTime();
                for (int n; (n = in.read(buf)) > 0; ) {
                    for (int i = 0; i < n; i++) {
                        if (buf[i] != '\n') {
                            line.append((char) buf[i]);
                            continue;
                        }
                        record(line.toString().trim(), now);
                        line.setLength(0);
                    }
                }
                Thread.sleep(POLL_MILLIS);
            }
        } catch (IOException | InterruptedException e) {
            // Closed: done.
        }
    }

    private void record(String name, long seen) {
        if (seen < since) return;
        synchronized (runs) {
            runs.computeIfAbsent(name, k -> new ArrayList<>()).add(seen);
        }
    }

    /** Forgets runs so far; only runs from now on are counted. */
    void startWindow() {
        synchronized (runs) {
            runs.clear();
            since = System.nanoTime();
        }
    }

    /** Times (nanoTime, as seen) of each client's checker runs in the window. */
    Map<String, List<Long>> runs() {
        synchronized (runs) {
            Map<String, List<Long>> copy = new HashMap<>();
            runs.forEach((k, v) -> copy.put(k, List.copyOf(v)));
            return copy;
        }
    }

    @Override
    public void close() throws IOException {
        running = false;
        reader.interrupt();
        try {
            reader.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        in.close();
    }
}
