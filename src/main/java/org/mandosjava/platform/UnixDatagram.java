package org.mandosjava.platform;

import com.sun.jna.LastErrorException;
import com.sun.jna.NativeLong;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Datagrams to a Unix socket by path (systemd's {@code NOTIFY_SOCKET}, the journal's socket,
 * {@code /dev/log}); a path starting with {@code @} names the abstract namespace. The JDK has stream
 * Unix sockets only.
 *
 * <p>{@link #send(String, byte[])} is for an occasional message. A sender that sends on every
 * connection {@link #open opens} one: its socket stays open, is addressed by path on every send (so
 * a restarted receiver is found again) and never waits: a receiver that is behind makes the send
 * fail at once (EAGAIN), since a caller on the unlock path must not wait for a log daemon.
 */
public final class UnixDatagram implements AutoCloseable {
    /** {@code sizeof(sun_path)} on Linux. */
    private static final int SUN_PATH = 108;

    private final String path;
    private final byte[] addr;
    private final int fd;
    /** Sends share the socket; closing waits for them, so the descriptor is never reused under a send. */
    private final ReadWriteLock closing = new ReentrantReadWriteLock();
    private boolean closed;

    private UnixDatagram(String path, byte[] addr, int fd) {
        this.path = path;
        this.addr = addr;
        this.fd = fd;
    }

    /** A socket for sending to {@code path}. */
    public static UnixDatagram open(String path) throws IOException {
        byte[] addr = address(path);
        return new UnixDatagram(path, addr, newSocket());
    }

    /** Sends {@code payload} in one datagram without waiting; a full receiver is an IOException. */
    public void send(byte[] payload) throws IOException {
        closing.readLock().lock();
        try {
            if (closed) throw new IOException("sendto " + path + ": socket closed");
            sendto(fd, payload, LibC.MSG_DONTWAIT, addr, path);
        } finally {
            closing.readLock().unlock();
        }
    }

    @Override
    public void close() {
        closing.writeLock().lock();
        try {
            if (closed) return;
            closed = true;
            LibC.close(fd);
        } finally {
            closing.writeLock().unlock();
        }
    }

    private static int newSocket() throws IOException {
        try {
            return LibC.socket(LibC.AF_UNIX, LibC.SOCK_DGRAM | LibC.SOCK_CLOEXEC, 0);
        } catch (LastErrorException e) {
            throw new IOException("socket(AF_UNIX, SOCK_DGRAM): errno " + e.getErrorCode());
        }
    }

    private static void sendto(int fd, byte[] payload, int flags, byte[] addr, String path) throws IOException {
        try {
            LibC.sendto(fd, payload, new NativeLong(payload.length), flags, addr, addr.length);
        } catch (LastErrorException e) {
            throw new IOException("sendto " + path + ": " + Errno.describe(e.getErrorCode()));
        }
    }

    /** Sends {@code payload} to the socket at {@code path} in one datagram, on a socket of its own. */
    public static void send(String path, byte[] payload) throws IOException {
        byte[] addr = address(path);
        int fd = newSocket();
        try {
            sendto(fd, payload, 0, addr, path);
        } finally {
            LibC.close(fd);
        }
    }

    /** A {@code struct sockaddr_un}: family, then the path (abstract: a leading NUL, no terminator). */
    static byte[] address(String path) throws IOException {
        byte[] name = path.getBytes(StandardCharsets.UTF_8);
        boolean abstractName = path.startsWith("@");
        if (name.length == 0 || name.length >= SUN_PATH) throw new IOException("bad Unix socket path: " + path);
        if (abstractName) name[0] = 0;
        int length = 2 + name.length + (abstractName ? 0 : 1);
        byte[] addr = new byte[length];
        addr[0] = (byte) LibC.AF_UNIX; // sa_family_t, little-endian on the platforms we run on
        System.arraycopy(name, 0, addr, 2, name.length);
        return addr;
    }

    /** The few errno values a sender meets, by name. */
    private static final class Errno {
        static String describe(int errno) {
            return switch (errno) {
                case 2 -> "no such socket (ENOENT)";
                case 11 -> "receiver is full (EAGAIN)";
                case 13 -> "permission denied (EACCES)";
                case 90 -> "message too long (EMSGSIZE)";
                case 111 -> "nobody listening (ECONNREFUSED)";
                default -> "errno " + errno;
            };
        }
    }
}
