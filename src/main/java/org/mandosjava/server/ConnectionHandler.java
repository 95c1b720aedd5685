package org.mandosjava.server;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsFatalAlertReceived;
import org.mandosjava.protocol.ProtocolException;
import org.mandosjava.protocol.ServerHandshake;
import org.mandosjava.protocol.VersionLine;

/**
 * Serves one connection: version line, TLS handshake, decision, secret, bye (spec §5). Every step is
 * bounded; whatever the peer does costs this connection only. Until the handshake shows the peer's
 * key, what goes wrong is written through the rate-limited log: a stranger cannot fill the journal.
 */
final class ConnectionHandler {
    private static final Logger LOG = Logger.getLogger(ConnectionHandler.class.getName());

    private final ClientRegistry registry;
    private final ServerHandshake handshake;
    private final ConnectionLimits limits;
    private final Scheduler timers;
    private final Admission admission;
    private final RateLimitedLog strangers;
    private final boolean dualStack;

    ConnectionHandler(ClientRegistry registry, ServerHandshake handshake, ConnectionLimits limits,
            Scheduler timers, Admission admission, RateLimitedLog strangers, boolean dualStack) {
        this.dualStack = dualStack;
        this.registry = registry;
        this.handshake = handshake;
        this.limits = limits;
        this.timers = timers;
        this.admission = admission;
        this.strangers = strangers;
    }

    void serve(Socket socket, long id, Admission.Ticket ticket) {
        ConnectionDeadlines deadlines = new ConnectionDeadlines(timers, limits, () -> closeQuietly(socket));
        InetSocketAddress remote = (InetSocketAddress) socket.getRemoteSocketAddress();
        String peer = PeerAddress.format(remote.getAddress(), dualStack);
        String who = "connection " + id + " from "
                + (peer.contains(":") ? "[" + peer + "]" : peer) + ":" + remote.getPort();
        boolean known = false;
        try (socket; deadlines; Origin.Scope origin = Origin.enter(Origin.connection(id, peer))) {
            strangers.log(Level.INFO, "TCP connection", () -> "TCP " + who);
            socket.setTcpNoDelay(true);
            // No read timeout: the deadlines bound every read (see ConnectionDeadlines).
            String line = VersionLine.read(socket.getInputStream());
            deadlines.versionLineRead();
            LOG.fine(() -> who + ": protocol version line: '" + line + "'");
            VersionLine.check(line);

            ServerHandshake.Session session = handshake.handshake(socket);
            deadlines.handshakeDone();
            String keyId = session.keyId();
            LOG.fine(() -> who + ": handshake succeeded, key ID: " + keyId);
            Origin.enter(Origin.current().withKeyId(keyId)); // closed with the connection's scope
            if (!admission.authenticated(ticket, keyId)) {
                if (ticket.evicted()) return; // evicted just before; counted at the eviction
                strangers.log(Level.WARNING, "too many connections for one key", () -> who
                        + ": closed: key ID " + keyId + " already has " + limits.maxPerKey() + " connections");
                return;
            }
            known = true;

            deadlines.approvalWaitStarted();
            Decision decision = registry.requestSecret(keyId, peer, () -> stillConnected(socket));
            deadlines.approvalWaitEnded();
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
            admission.finishing(ticket);
            deadlines.byeStarted();
            session.bye();
        } catch (ProtocolException e) {
            report(known, Level.WARNING, "protocol error", who + ": " + e.getMessage());
        } catch (TlsFatalAlertReceived e) {
            report(known, Level.WARNING, "handshake failed", who + ": handshake failed: peer sent alert " + e.getMessage());
        } catch (TlsFatalAlert e) {
            report(known, Level.WARNING, "handshake failed", who + ": handshake failed: " + e.getMessage());
        } catch (EOFException e) {
            report(known, Level.INFO, "closed by peer", who + ": closed by peer: " + e.getMessage());
        } catch (SocketException e) {
            ConnectionDeadlines.Phase phase = deadlines.expired();
            if (ticket.evicted()) {
                LOG.fine(() -> who + ": evicted to make room");
            } else if (phase == ConnectionDeadlines.Phase.BYE) {
                // The secret and our close_notify are out; a peer that does not close in time is cut.
                LOG.fine(() -> who + ": no close from the peer within " + limits.bye().toSeconds() + " s");
            } else if (phase != null) {
                report(known, Level.WARNING, "timed out", who + ": timed out: " + phase + " not done within "
                        + deadlines.limit(phase).toSeconds() + " s");
            } else {
                report(known, Level.INFO, "connection error", who + ": " + e.getMessage());
            }
        } catch (IOException e) {
            report(known, Level.WARNING, "connection error", who + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // Our bug, not the peer's; it must still not take the server down.
            LOG.log(Level.SEVERE, who + ": internal error", e);
        } finally {
            admission.release(ticket);
        }
    }

    /** A known client's trouble is always written; a stranger's goes through the rate limit. */
    private void report(boolean known, Level level, String kind, String line) {
        if (known) LOG.log(level, line);
        else strangers.log(level, kind, () -> line);
    }

    static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Already closing; nothing to add.
        }
    }

    /**
     * Whether the peer is still there while we make it wait. It sends nothing until it has the
     * secret, so anything readable (its close_notify, EOF, a reset) means it has given up.
     */
    static boolean stillConnected(Socket socket) {
        try {
            socket.setSoTimeout(1);
            socket.getInputStream().read();
            return false;
        } catch (SocketTimeoutException e) {
            return true;
        } catch (IOException e) {
            return false;
        } finally {
            // The reads after the wait (the bye) must block until the peer closes or a deadline cuts.
            try {
                socket.setSoTimeout(0);
            } catch (SocketException e) {
                // Closed: the next read says so.
            }
        }
    }
}
