package org.mandosjava.testing;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

/**
 * A datagram Unix socket bound at a path of the test's, standing in for systemd's notify socket or
 * journald's socket: what the server sends there is read back with {@link #receive}.
 */
public final class DatagramReceiver implements AutoCloseable {
    private interface Sockets extends Library {
        Sockets INSTANCE = Native.load("c", Sockets.class);

        int socket(int domain, int type, int protocol) throws LastErrorException;

        int bind(int fd, byte[] addr, int addrlen) throws LastErrorException;

        int setsockopt(int fd, int level, int name, long[] value, int length) throws LastErrorException;

        NativeLong recv(int fd, byte[] buf, NativeLong len, int flags) throws LastErrorException;

        int close(int fd);
    }

    private static final int AF_UNIX = 1;
    private static final int SOCK_DGRAM = 2;
    private static final int SOL_SOCKET = 1;
    private static final int SO_RCVTIMEO = 20;
    private static final int SO_RCVBUF = 8;
    private static final int EAGAIN = 11;

    private final int fd;
    private final Path path;

    private DatagramReceiver(int fd, Path path) {
        this.fd = fd;
        this.path = path;
    }

    public static DatagramReceiver bind(Path path) throws IOException {
        byte[] name = path.toString().getBytes(StandardCharsets.UTF_8);
        byte[] addr = new byte[2 + name.length + 1];
        addr[0] = AF_UNIX;
        System.arraycopy(name, 0, addr, 2, name.length);
        int fd = Sockets.INSTANCE.socket(AF_UNIX, SOCK_DGRAM, 0);
        try {
            Sockets.INSTANCE.bind(fd, addr, addr.length);
            Sockets.INSTANCE.setsockopt(fd, SOL_SOCKET, SO_RCVBUF, new long[] {1 << 20}, 4);
        } catch (LastErrorException e) {
            Sockets.INSTANCE.close(fd);
            throw new IOException("cannot bind " + path + ": errno " + e.getErrorCode());
        }
        // Anyone may send, as to systemd's sockets: a server that dropped privileges still reaches it.
        Files.setPosixFilePermissions(path, java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw-rw-"));
        return new DatagramReceiver(fd, path);
    }

    public Path path() {
        return path;
    }

    /** The next datagram, or null if none comes within {@code timeout}. */
    public byte[] receive(Duration timeout) throws IOException {
        long[] tv = {timeout.toSeconds(), timeout.toMillisPart() * 1000L};
        Sockets.INSTANCE.setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, tv, 16);
        byte[] buf = new byte[256 * 1024];
        try {
            long n = Sockets.INSTANCE.recv(fd, buf, new NativeLong(buf.length), 0).longValue();
            return Arrays.copyOf(buf, (int) n);
        } catch (LastErrorException e) {
            if (e.getErrorCode() == EAGAIN) return null;
            throw new IOException("recv: errno " + e.getErrorCode());
        }
    }

    /**
     * The next datagram into {@code buffer} (cut to its length), for a reader that drains many: its
     * length, or -1 if none comes within {@code timeout}.
     */
    public int receive(byte[] buffer, Duration timeout) throws IOException {
        long[] tv = {timeout.toSeconds(), timeout.toMillisPart() * 1000L};
        Sockets.INSTANCE.setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, tv, 16);
        try {
            return (int) Sockets.INSTANCE.recv(fd, buffer, new NativeLong(buffer.length), 0).longValue();
        } catch (LastErrorException e) {
            if (e.getErrorCode() == EAGAIN) return -1;
            throw new IOException("recv: errno " + e.getErrorCode());
        }
    }

    /** The next datagram as text, or null. */
    public String receiveText(Duration timeout) throws IOException {
        byte[] b = receive(timeout);
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        Sockets.INSTANCE.close(fd);
        Files.deleteIfExists(path);
    }
}
