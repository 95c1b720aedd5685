package org.mandosjava.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A small tmpfs mounted on a directory of the test's own (needs root), to make a real file system
 * full or read-only under a running saver. {@link #close()} unmounts it.
 */
public final class SmallTmpfs implements AutoCloseable {
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);
    private final Path mountPoint;
    private final Path filler;

    private SmallTmpfs(Path mountPoint) {
        this.mountPoint = mountPoint;
        this.filler = mountPoint.resolve("filler");
    }

    /** Skips (locally) or fails (in CI) unless the test runs as root with mount/umount. */
    public static void require() {
        Peers.requireAll("a tmpfs of the test's own", true, List.of("mount", "umount"), List.of());
    }

    /** Mounts a tmpfs of {@code kib} KiB on {@code mountPoint} (created if missing). */
    public static SmallTmpfs mount(Path mountPoint, int kib) throws IOException, InterruptedException {
        Files.createDirectories(mountPoint);
        CommandResult.runSuccessfully(COMMAND_TIMEOUT, "mount", "-t", "tmpfs", "-o", "size=" + kib + "k,mode=0755",
                "tmpfs", mountPoint.toString());
        return new SmallTmpfs(mountPoint);
    }

    public Path path() {
        return mountPoint;
    }

    /** Fills the file system until the kernel says it is full (ENOSPC). */
    public void fill() throws IOException {
        byte[] block = new byte[4096];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) out.write(block);
        } catch (IOException full) {
            if (!String.valueOf(full.getMessage()).contains("No space left on device")) throw full;
        }
    }

    /** Removes what {@link #fill()} wrote. */
    public void free() throws IOException {
        Files.deleteIfExists(filler);
    }

    public void remountReadOnly() throws IOException, InterruptedException {
        CommandResult.runSuccessfully(COMMAND_TIMEOUT, "mount", "-o", "remount,ro", mountPoint.toString());
    }

    public void remountReadWrite() throws IOException, InterruptedException {
        CommandResult.runSuccessfully(COMMAND_TIMEOUT, "mount", "-o", "remount,rw", mountPoint.toString());
    }

    @Override
    public void close() throws IOException, InterruptedException {
        CommandResult.runSuccessfully(COMMAND_TIMEOUT, "umount", mountPoint.toString());
    }
}
