package org.mandosjava.protocol.fuzz;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One direction of an in-memory connection: what one side writes, the other reads. Behaves like a
 * TCP socket's half for the code under test: a read blocks until data arrives, the writer shuts down
 * (EOF) or the read timeout passes ({@link SocketTimeoutException}); using a closed end is a
 * {@link SocketException}. No file descriptors and no ports, so 100,000 connections cost nothing
 * but memory, and anything that stays behind is ours to measure.
 *
 * <p>Locks rather than monitors, so that virtual threads blocked here do not pin their carrier.
 */
final class MemoryPipe {
    /** More than any Mandos exchange sends in one direction; a writer beyond it is a runaway loop. */
    static final int CAPACITY = 4 << 20;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private byte[] buffer = new byte[256];
    private int start;
    private int end;
    private boolean writerDone;
    private boolean readerDone;
    private boolean reset;
    private volatile int timeoutMillis;
    private volatile int maxRead = Integer.MAX_VALUE;

    final InputStream in = new InputStream() {
        @Override public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override public int read(byte[] b, int off, int len) throws IOException {
            return take(b, off, len);
        }

        @Override public int available() {
            lock.lock();
            try {
                return end - start;
            } finally {
                lock.unlock();
            }
        }

        @Override public void close() {
            closeReader();
        }
    };

    final OutputStream out = new OutputStream() {
        @Override public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override public void write(byte[] b, int off, int len) throws IOException {
            put(b, off, len);
        }

        @Override public void close() {
            closeWriter();
        }
    };

    /** The read timeout; 0 waits for ever, as {@link java.net.Socket#setSoTimeout} does. */
    void timeoutMillis(int millis) {
        timeoutMillis = millis;
    }

    int timeoutMillis() {
        return timeoutMillis;
    }

    /** Hands the reader at most {@code bytes} per read, as a peer trickling small segments would. */
    void maxRead(int bytes) {
        maxRead = bytes;
    }

    /** A copy of what is written and not yet read. */
    byte[] unread() {
        lock.lock();
        try {
            return java.util.Arrays.copyOfRange(buffer, start, end);
        } finally {
            lock.unlock();
        }
    }

    /** Rewrites what is written and not yet read (same length), as a peer reacting to us would have sent it. */
    void rewriteUnread(java.util.function.UnaryOperator<byte[]> rewrite) {
        lock.lock();
        try {
            byte[] rewritten = rewrite.apply(java.util.Arrays.copyOfRange(buffer, start, end));
            System.arraycopy(rewritten, 0, buffer, start, Math.min(rewritten.length, end - start));
        } finally {
            lock.unlock();
        }
    }

    /** The writer's side vanishes abruptly: reads fail as after a TCP reset. */
    void reset() {
        lock.lock();
        try {
            reset = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The writer's shutdown: the reader sees EOF once it has read what was written. */
    void closeWriter() {
        lock.lock();
        try {
            writerDone = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The reader's close: blocked and later reads fail, and so do writes (a reset). */
    void closeReader() {
        lock.lock();
        try {
            readerDone = true;
            buffer = new byte[0];
            start = end = 0;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private int take(byte[] b, int off, int len) throws IOException {
        if (len == 0) return 0;
        int timeout = timeoutMillis;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeout);
        lock.lock();
        try {
            while (start == end || reset) {
                if (readerDone) throw new SocketException("Socket closed");
                if (reset) throw new SocketException("Connection reset");
                if (writerDone) return -1;
                if (timeout == 0) {
                    changed.await();
                } else {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) throw new SocketTimeoutException("Read timed out");
                    changed.awaitNanos(left);
                }
            }
            int n = Math.min(Math.min(len, maxRead), end - start);
            System.arraycopy(buffer, start, b, off, n);
            start += n;
            return n;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted");
        } finally {
            lock.unlock();
        }
    }

    private void put(byte[] b, int off, int len) throws IOException {
        lock.lock();
        try {
            if (writerDone) throw new SocketException("Socket closed");
            if (readerDone) throw new SocketException("Broken pipe");
            if (end - start + len > CAPACITY) throw new IOException("in-memory pipe full: runaway writer");
            if (end + len > buffer.length) {
                byte[] bigger = new byte[Math.max(buffer.length * 2, end - start + len)];
                System.arraycopy(buffer, start, bigger, 0, end - start);
                end -= start;
                start = 0;
                buffer = bigger;
            }
            System.arraycopy(b, off, buffer, end, len);
            end += len;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
