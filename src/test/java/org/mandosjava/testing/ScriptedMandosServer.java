package org.mandosjava.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.tls.CertificateType;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.ServerOnlyTlsAuthentication;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsClientProtocol;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.mandosjava.protocol.KeyId;

/**
 * A small, scripted stand-in for a Mandos server on [::1], for testing clients in-process: each
 * accepted connection takes the next {@link Reply} from the script (the last one repeats). It speaks
 * the real protocol (version line, then TLS 1.3 as TLS <em>client</em> accepting a raw public key)
 * and records every version line and client key ID it saw.
 */
public final class ScriptedMandosServer implements AutoCloseable {
    private static final int IO_TIMEOUT_MILLIS = 10_000;
    private static final int MAX_VERSION_LINE = 100;

    /** What to do with one connection. */
    public sealed interface Reply {
        /** Handshake, send {@code data}, close_notify. */
        record Send(byte[] data) implements Reply {}

        /** Handshake, send nothing, close_notify: what an unknown, disabled or denied client gets. */
        record Nothing() implements Reply {}

        /** Close the TCP connection right after the version line, without TLS. */
        record Hangup() implements Reply {}
    }

    private final ServerSocket listener;
    private final List<Reply> script;
    private final Thread acceptor;
    private final List<String> versionLines = Collections.synchronizedList(new ArrayList<>());
    private final List<String> keyIds = Collections.synchronizedList(new ArrayList<>());
    private final BlockingQueue<Throwable> failures = new LinkedBlockingQueue<>();
    private int served;

    private ScriptedMandosServer(ServerSocket listener, List<Reply> script) {
        this.listener = listener;
        this.script = List.copyOf(script);
        this.acceptor = Thread.ofVirtual().name("scripted-mandos-server").start(this::acceptLoop);
    }

    public static ScriptedMandosServer start(Reply... script) throws IOException {
        if (script.length == 0) throw new IllegalArgumentException("empty script");
        ServerSocket listener = new ServerSocket();
        listener.bind(new InetSocketAddress(Ports.LOOPBACK6, 0));
        return new ScriptedMandosServer(listener, List.of(script));
    }

    public int port() {
        return listener.getLocalPort();
    }

    public String connectAddress() {
        return "[::1]:" + port();
    }

    /** Version lines received, without line ends, in connection order. */
    public List<String> versionLines() {
        return List.copyOf(versionLines);
    }

    /** Key IDs (upper-case hex) of the clients that completed a handshake. */
    public List<String> keyIds() {
        return List.copyOf(keyIds);
    }

    /** Waits until {@code count} connections were fully served (or fails with what went wrong). */
    public void awaitServed(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (served < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0) throw new AssertionError("served " + served + " of " + count + " connections; "
                        + "failures: " + failures);
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }
    }

    /** Problems on the server side (handshake failures etc.), for assertion messages. */
    public List<Throwable> failures() {
        return List.copyOf(failures);
    }

    private void acceptLoop() {
        int index = 0;
        while (!listener.isClosed()) {
            try {
                Socket socket = listener.accept();
                Reply reply = script.get(Math.min(index++, script.size() - 1));
                Thread.ofVirtual().name("scripted-mandos-connection").start(() -> serve(socket, reply));
            } catch (IOException e) {
                if (!listener.isClosed()) failures.add(e);
            }
        }
    }

    private void serve(Socket socket, Reply reply) {
        try (socket) {
            socket.setSoTimeout(IO_TIMEOUT_MILLIS);
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            versionLines.add(readLine(in));
            if (reply instanceof Reply.Hangup) return;
            TlsClientProtocol tls = new TlsClientProtocol(in, out);
            RawKeyClient client = new RawKeyClient();
            tls.connect(client);
            if (client.peerKey != null) keyIds.add(KeyId.of(client.peerKey));
            if (reply instanceof Reply.Send send) {
                tls.getOutputStream().write(send.data());
                tls.getOutputStream().flush();
            }
            tls.close();
        } catch (IOException | RuntimeException e) {
            failures.add(e);
        } finally {
            synchronized (this) {
                served++;
                notifyAll();
            }
        }
    }

    /** Byte by byte: the TLS engine must see every byte after the line. */
    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
            if (line.length() > MAX_VERSION_LINE) throw new IOException("version line too long");
            line.append((char) b);
        }
        return line.toString().replace("\r", "");
    }

    @Override
    public void close() throws IOException {
        listener.close();
        try {
            acceptor.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The Mandos server's TLS role: a TLS 1.3 client that wants a raw public key and presents nothing. */
    private static final class RawKeyClient extends DefaultTlsClient {
        volatile byte[] peerKey;

        RawKeyClient() {
            super(new BcTlsCrypto(new SecureRandom()));
        }

        @Override
        protected ProtocolVersion[] getSupportedVersions() {
            return ProtocolVersion.TLSv13.only();
        }

        @Override
        protected short[] getAllowedServerCertificateTypes() {
            return new short[] {CertificateType.RawPublicKey};
        }

        @Override
        public TlsAuthentication getAuthentication() {
            return new ServerOnlyTlsAuthentication() {
                @Override
                public void notifyServerCertificate(TlsServerCertificate certificate) throws IOException {
                    peerKey = certificate.getCertificate().getCertificateAt(0).getEncoded();
                }
            };
        }
    }
}
