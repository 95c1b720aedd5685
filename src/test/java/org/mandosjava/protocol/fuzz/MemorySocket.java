package org.mandosjava.protocol.fuzz;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketImpl;

/**
 * A connected {@link Socket} made of two {@link MemoryPipe}s, for driving the protocol classes (which
 * take sockets) without the kernel. It supports what they use: the streams, the read timeout, close.
 */
final class MemorySocket extends Socket {
    private static final SocketAddress PEER = new InetSocketAddress(InetAddress.getLoopbackAddress(), 1);

    private final MemoryPipe in;
    private final InputStream input;
    private final MemoryPipe out;
    private volatile boolean closed;

    MemorySocket(MemoryPipe in, MemoryPipe out) throws SocketException {
        this(in, in.in, out);
    }

    /** With {@code input} in front of {@code in}'s stream (it must read from that stream). */
    MemorySocket(MemoryPipe in, InputStream input, MemoryPipe out) throws SocketException {
        super((SocketImpl) null);
        this.in = in;
        this.input = input;
        this.out = out;
    }

    /** Two sockets connected to each other. */
    static MemorySocket[] pair() throws SocketException {
        MemoryPipe aToB = new MemoryPipe();
        MemoryPipe bToA = new MemoryPipe();
        return new MemorySocket[] {new MemorySocket(bToA, aToB), new MemorySocket(aToB, bToA)};
    }

    @Override public InputStream getInputStream() {
        return input;
    }

    @Override public OutputStream getOutputStream() {
        return out.out;
    }

    @Override public void setSoTimeout(int timeout) {
        in.timeoutMillis(timeout);
    }

    @Override public int getSoTimeout() {
        return in.timeoutMillis();
    }

    @Override public void setTcpNoDelay(boolean on) {}

    @Override public void setKeepAlive(boolean on) {}

    @Override public void shutdownOutput() {
        out.closeWriter();
    }

    @Override public void shutdownInput() {
        in.closeReader();
    }

    @Override public boolean isConnected() {
        return true;
    }

    @Override public boolean isClosed() {
        return closed;
    }

    @Override public SocketAddress getRemoteSocketAddress() {
        return PEER;
    }

    @Override public void close() {
        closed = true;
        in.closeReader();
        out.closeWriter();
    }

    @Override public String toString() {
        return "MemorySocket[closed=" + closed + "]";
    }
}
