package org.mandosjava.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * One server per state directory. A second server on the same directory would delete the first
 * one's half-written save at its startup and then overwrite its state with its own; the original
 * has the same hazard with its pickle. The lock is the kernel's (fcntl) on an open file, so it goes
 * away with the process however that ends, and it survives dropping privileges. The file holds the
 * holder's PID, for the error message.
 */
public final class StateDirectoryLock implements AutoCloseable {
    static final String FILE_NAME = "mandos-java.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private StateDirectoryLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** @throws IOException naming the directory (and the holder's PID) if another server has it */
    static StateDirectoryLock acquire(Path dir) throws IOException {
        Path file = dir.resolve(FILE_NAME);
        // Root opens it at startup in a directory its unprivileged user owns: never through a link
        // planted there (it is truncated below).
        FileChannel channel = FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException sameProcess) {
            lock = null;
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            String holder = holder(channel);
            channel.close();
            throw new IOException(dir + " is in use by another Mandos server"
                    + (holder.isEmpty() ? "" : " (PID " + holder + ")") + "; two servers must not share a state directory");
        }
        channel.truncate(0);
        channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
        return new StateDirectoryLock(channel, lock);
    }

    private static String holder(FileChannel channel) {
        try {
            ByteBuffer buf = ByteBuffer.allocate(32);
            channel.read(buf, 0);
            return new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            return "";
        }
    }

    /** Lets another process take the directory (the detaching parent, before its child starts). */
    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
