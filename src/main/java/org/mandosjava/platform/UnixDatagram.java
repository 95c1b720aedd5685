package org.mandosjava.platform;

import com.sun.jna.LastErrorException;
import com.sun.jna.NativeLong;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Sends one datagram to a Unix socket by path (systemd's {@code NOTIFY_SOCKET}, the journal's
 * socket, {@code /dev/log}); a path starting with {@code @} names the abstract namespace. The JDK
 * has stream Unix sockets only.
 */
public final class UnixDatagram {
    /** {@code sizeof(sun_path)} on Linux. */
    private static final int SUN_PATH = 108;

    private UnixDatagram() {}

    /** Sends {@code payload} to the socket at {@code path} in one datagram. */
    public static void send(String path, byte[] payload) throws IOException {
        byte[] addr = address(path);
        int fd;
        try {
            fd = LibC.INSTANCE.socket(LibC.AF_UNIX, LibC.SOCK_DGRAM | LibC.SOCK_CLOEXEC, 0);
        } catch (LastErrorException e) {
            throw new IOException("socket(AF_UNIX, SOCK_DGRAM): errno " + e.getErrorCode());
        }
        try {
            LibC.INSTANCE.sendto(fd, payload, new NativeLong(payload.length), 0, addr, addr.length);
        } catch (LastErrorException e) {
            throw new IOException("sendto " + path + ": " + Errno.describe(e.getErrorCode()));
        } finally {
            LibC.INSTANCE.close(fd);
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
