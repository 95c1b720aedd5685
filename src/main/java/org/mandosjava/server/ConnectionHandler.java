package org.mandosjava.server;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsFatalAlertReceived;
import org.mandosjava.protocol.ProtocolException;
import org.mandosjava.protocol.ServerHandshake;
import org.mandosjava.protocol.VersionLine;

/**
 * Serves one connection: version line, TLS handshake, decision, secret, bye (spec §5). Every step is
 * bounded; whatever the peer does costs this connection only.
 */
final class ConnectionHandler {
    private static final Logger LOG = Logger.getLogger(ConnectionHandler.class.getName());

    private final ClientRegistry registry;
    private final ServerHandshake handshake;
    private final ConnectionLimits limits;
    private final ScheduledExecutorService watchdog;
    private final boolean dualStack;

    ConnectionHandler(ClientRegistry registry, ServerHandshake handshake, ConnectionLimits limits,
            ScheduledExecutorService watchdog, boolean dualStack) {
        this.dualStack = dualStack;
        this.registry = registry;
        this.handshake = handshake;
        this.limits = limits;
        this.watchdog = watchdog;
    }

    void serve(Socket socket, long id) {
        InetSocketAddress remote = (InetSocketAddress) socket.getRemoteSocketAddress();
        String peer = PeerAddress.format(remote.getAddress(), dualStack);
        String who = "connection " + id + " from "
                + (peer.contains(":") ? "[" + peer + "]" : peer) + ":" + remote.getPort();
        // Closing the socket is the one interruption every blocking read obeys.
        ScheduledFuture<?> deadline = watchdog.schedule(
                () -> closeQuietly(socket), limits.connection().toMillis(), TimeUnit.MILLISECONDS);
        try (socket; Origin.Scope origin = Origin.enter(Origin.connection(id, peer))) {
            LOG.info("TCP " + who);
            socket.setTcpNoDelay(true);
            socket.setSoTimeout((int) limits.versionLine().toMillis());
            String line = VersionLine.read(socket.getInputStream());
            LOG.fine(() -> who + ": protocol version line: '" + line + "'");
            VersionLine.check(line);

            socket.setSoTimeout((int) limits.handshake().toMillis());
            ScheduledFuture<?> handshakeDeadline = watchdog.schedule(
                    () -> closeQuietly(socket), limits.handshake().toMillis(), TimeUnit.MILLISECONDS);
            ServerHandshake.Session session;
            try {
                session = handshake.handshake(socket);
            } finally {
                handshakeDeadline.cancel(false);
            }
            String keyId = session.keyId();
            LOG.fine(() -> who + ": handshake succeeded, key ID: " + keyId);
            Origin.enter(Origin.current().withKeyId(keyId)); // closed with the connection's scope

            // An approval wait is bounded by the client's approval_delay and ends when the peer
            // leaves; our own connection limit must not cut it, so it is re-armed afterwards.
            deadline.cancel(false);
            Decision decision = registry.requestSecret(keyId, peer, () -> stillConnected(socket));
            deadline = watchdog.schedule(
                    () -> closeQuietly(socket), limits.connection().toMillis(), TimeUnit.MILLISECONDS);
            switch (decision) {
                case Decision.Send send -> {
                    LOG.info("Sending secret to " + send.clientName() + " (" + who + ")");
                    session.send(send.secret());
                    registry.secretSent(send.clientName(), peer);
                }
                case Decision.Refuse refuse -> LOG.info("Client " + refuse.clientName() + " is refused: "
                        + refuse.reason() + " (" + who + ")");
                case Decision.Abandoned abandoned -> {
                    return;
                }
                case Decision.Unknown unknown -> LOG.info("Client not found for key ID: " + unknown.keyId()
                        + ", address: " + peer + " (" + who + ")");
            }
            session.bye(limits.bye());
        } catch (ProtocolException e) {
            LOG.warning(who + ": " + e.getMessage());
        } catch (TlsFatalAlertReceived e) {
            LOG.warning(who + ": handshake failed: peer sent alert " + e.getMessage());
        } catch (TlsFatalAlert e) {
            LOG.warning(who + ": handshake failed: " + e.getMessage());
        } catch (EOFException e) {
            LOG.info(who + ": closed by peer: " + e.getMessage());
        } catch (SocketTimeoutException e) {
            LOG.warning(who + ": timed out: " + e.getMessage());
        } catch (SocketException e) {
            if (deadline.isDone()) LOG.warning(who + ": closed: took longer than " + limits.connection());
            else LOG.info(who + ": " + e.getMessage());
        } catch (IOException e) {
            LOG.warning(who + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // Our bug, not the peer's; it must still not take the server down.
            LOG.log(Level.SEVERE, who + ": internal error", e);
        } finally {
            deadline.cancel(false);
        }
    }

    /**
     * Whether the peer is still there while we make it wait. It sends nothing until it has the
     * secret, so anything readable (its close_notify, EOF, a reset) means it has given up.
     */
    private static boolean stillConnected(Socket socket) {
        try {
            socket.setSoTimeout(1);
            socket.getInputStream().read();
            return false;
        } catch (SocketTimeoutException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Already closing; nothing to add.
        }
    }
}
