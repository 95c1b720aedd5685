package org.mandosjava.platform;

import com.sun.jna.Native;
import java.io.IOException;
import java.nio.channels.Channel;
import java.nio.channels.ServerSocketChannel;

/**
 * A listening socket handed over by file descriptor ({@code --socket FD}, e.g. from a supervisor).
 * The JDK only adopts an inherited socket on standard input ({@link System#inheritedChannel()}), so
 * the descriptor is first duplicated onto fd 0; a daemon has no use for standard input anyway.
 */
public final class InheritedSocket {
    private InheritedSocket() {}

    /** Adopts descriptor {@code fd}, which must be a listening TCP socket. Call at most once. */
    public static ServerSocketChannel adopt(int fd) throws IOException {
        if (fd < 0) throw new IOException("--socket: bad file descriptor " + fd);
        if (fd != 0 && LibC.dup2(fd, 0) < 0) {
            throw new IOException("--socket " + fd + ": not an open file descriptor (errno "
                    + Native.getLastError() + ")");
        }
        Channel channel = System.inheritedChannel();
        if (channel instanceof ServerSocketChannel server) return server;
        throw new IOException("--socket " + fd + ": not a listening TCP socket"
                + (channel == null ? "" : " (" + channel.getClass().getSimpleName() + ")"));
    }
}
