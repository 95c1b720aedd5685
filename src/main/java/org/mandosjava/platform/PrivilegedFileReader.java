package org.mandosjava.platform;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;

/**
 * Reads configuration files that only root may read (Debian installs clients.conf as root:root
 * 0600, and secfiles are root's too) after the server has dropped to its unprivileged user.
 *
 * <p>Started as root, before privileges are dropped, this owns one dedicated platform thread that
 * sets {@code PR_SET_KEEPCAPS}, so that when the process's uids become non-zero this thread alone
 * keeps its permitted capabilities (every other thread loses all of them). Right after the uid
 * change, {@link #narrow()} has the thread reduce its own sets to
 * {@code CAP_DAC_READ_SEARCH} in the permitted set only. For each read the thread raises that
 * capability into its effective set, reads the whole file, and lowers it again. The thread does
 * nothing else: it starts no threads (a thread inherits its creator's capabilities) and allocates
 * no native memory through JNA (whose cleaner thread is started on demand by the allocating thread).
 * Nor does it wake a virtual thread: that hands the virtual thread to its scheduler from this
 * thread, and the scheduler may start a carrier thread right here, keeping the capability as a
 * permitted one for whatever runs on it. So its callers are platform threads, and a virtual thread
 * is refused.
 *
 * <p>Not started as root, there is nothing to keep: files are read directly, with the process's
 * own permissions. Started as root without {@code CAP_DAC_READ_SEARCH} in the bounding set (a
 * service manager's choice), the thread keeps nothing and reads with the unprivileged user's
 * permissions, which is logged as a warning.
 */
public final class PrivilegedFileReader {
    private static final Logger LOG = Logger.getLogger(PrivilegedFileReader.class.getName());
    private static final long CALL_TIMEOUT_SECONDS = 30;

    @FunctionalInterface
    private interface Task {
        Object run() throws Exception;
    }

    private record Request(Task task, CompletableFuture<Object> result) {}

    private final LinkedBlockingQueue<Request> requests;
    private final ThreadCapabilities capabilities;
    /** Whether the reader thread holds the capability; read and written on that thread only. */
    private boolean holdsCapability;

    private PrivilegedFileReader(LinkedBlockingQueue<Request> requests, ThreadCapabilities capabilities) {
        this.requests = requests;
        this.capabilities = capabilities;
    }

    /** A reader that reads with the process's own permissions, on the calling thread. */
    public static PrivilegedFileReader direct() {
        return new PrivilegedFileReader(null, null);
    }

    /**
     * As root: starts the reader thread, which keeps its capabilities across the coming drop
     * ({@link Privileges#dropIfRoot(PrivilegedFileReader)}). Otherwise a {@link #direct()} reader.
     */
    public static PrivilegedFileReader startIfRoot() throws PrivilegeException {
        if (!Privileges.isRoot()) return direct();
        PrivilegedFileReader reader = new PrivilegedFileReader(new LinkedBlockingQueue<>(), new ThreadCapabilities());
        Thread.ofPlatform().name("privileged-reader").daemon(true).start(reader::serve);
        reader.call(() -> {
            ThreadCapabilities.keepAcrossSetuid(true);
            return null;
        }, "keeping the reader thread's capabilities");
        return reader;
    }

    /**
     * The whole content of {@code file}, read with {@code CAP_DAC_READ_SEARCH} raised for the
     * duration of the read. Safe to call from any platform thread; reads are done one at a time.
     *
     * @throws IllegalStateException on a virtual thread (see the class comment), started as root or not
     */
    public byte[] readAllBytes(Path file) throws IOException {
        if (Thread.currentThread().isVirtual()) {
            throw new IllegalStateException("the privileged reader is called from platform threads only");
        }
        if (requests == null) return Files.readAllBytes(file);
        CompletableFuture<Object> result = new CompletableFuture<>();
        requests.add(new Request(() -> readRaised(file), result));
        try {
            return (byte[]) result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading " + file);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) throw io;
            throw new IOException("cannot read " + file + ": " + e.getCause().getMessage(), e.getCause());
        }
    }

    /**
     * After the process's uids have become non-zero: reduces the reader thread to
     * {@code CAP_DAC_READ_SEARCH}, permitted but not effective, and clears its keep-capabilities
     * flag. Must run before the next set*id call, which glibc applies to every thread and which
     * must have the same outcome in each.
     */
    void narrow() throws PrivilegeException {
        if (requests == null) return;
        Object kept = call(() -> {
            long permitted = capabilities.get().permitted();
            boolean available = (permitted & (1L << ThreadCapabilities.CAP_DAC_READ_SEARCH)) != 0;
            capabilities.set(available ? ThreadCapabilities.Sets.only(ThreadCapabilities.CAP_DAC_READ_SEARCH, false)
                    : new ThreadCapabilities.Sets(0, 0, 0));
            ThreadCapabilities.keepAcrossSetuid(false);
            holdsCapability = available;
            return available;
        }, "reducing the reader thread's capabilities");
        if (!Boolean.TRUE.equals(kept)) {
            LOG.warning("CAP_DAC_READ_SEARCH is not in the bounding set: a reload (SIGHUP) can read only the files "
                    + "the server's unprivileged user may read");
        }
    }

    private byte[] readRaised(Path file) throws IOException, PosixException {
        if (!holdsCapability) return readRegularFile(file);
        capabilities.set(ThreadCapabilities.Sets.only(ThreadCapabilities.CAP_DAC_READ_SEARCH, true));
        try {
            return readRegularFile(file);
        } finally {
            capabilities.set(ThreadCapabilities.Sets.only(ThreadCapabilities.CAP_DAC_READ_SEARCH, false));
        }
    }

    /** A FIFO or a device would block this one thread, and with it every later reload. */
    private static byte[] readRegularFile(Path file) throws IOException {
        if (!Files.readAttributes(file, BasicFileAttributes.class).isRegularFile()) {
            throw new FileSystemException(file.toString(), null, "not a regular file");
        }
        return Files.readAllBytes(file);
    }

    private Object call(Task task, String what) throws PrivilegeException {
        CompletableFuture<Object> result = new CompletableFuture<>();
        requests.add(new Request(task, result));
        try {
            return result.get(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new PrivilegeException(what + " failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new PrivilegeException(what + " did not finish within " + CALL_TIMEOUT_SECONDS + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PrivilegeException(what + " was interrupted");
        }
    }

    /** The reader thread's loop. Results are completed here but only waited for with get(). */
    private void serve() {
        while (true) {
            Request request;
            try {
                request = requests.take();
            } catch (InterruptedException e) {
                return;
            }
            try {
                request.result().complete(request.task().run());
            } catch (Exception e) {
                request.result().completeExceptionally(e);
            }
        }
    }
}
