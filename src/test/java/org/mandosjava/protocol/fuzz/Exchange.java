package org.mandosjava.protocol.fuzz;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;
import org.mandosjava.keys.TlsKeyPair;
import org.mandosjava.protocol.ClientHandshake;
import org.mandosjava.protocol.ServerHandshake;
import org.mandosjava.protocol.TlsPolicy;
import org.mandosjava.protocol.VersionLine;

/**
 * Runs one side of ours against a peer's byte stream over in-memory sockets and reports what happened.
 * {@link Side#SERVER} is the Mandos server (version line, TLS handshake as TLS client, secret, bye);
 * {@link Side#CLIENT} is {@link ClientHandshake}, the Mandos client of {@code bin/mandos-client} and
 * the tools. The peer is either a replayed byte stream or a live honest peer whose records pass
 * through a {@link Mutation} on their way to us.
 */
final class Exchange {
    /** Our read timeout: short, so that a peer that stalls costs the fuzzer little time. */
    static final int READ_TIMEOUT_MILLIS = 75;
    /** A replayed stream is all there before we read: a stall is only the timeout path, keep it cheap. */
    static final int REPLAY_READ_TIMEOUT_MILLIS = 1;
    /** Far beyond what a run needs even on a loaded machine; longer is a hang. */
    static final Duration DEADLINE = Duration.ofSeconds(10);
    private static final int PEER_READ_TIMEOUT_MILLIS = 2_000;

    enum Side { SERVER, CLIENT }

    /** The result of one input. {@code leftBehind} names threads still alive after the connection closed. */
    record Outcome(Throwable thrown, boolean hung, Object result, List<String> leftBehind, List<byte[]> peerUnits,
            List<byte[]> ourUnits) {}

    private final ServerHandshake server = new ServerHandshake(TlsPolicy.mandosDefault());
    private final TlsKeyPair clientKeys = TlsKeyPair.generateEd25519();
    private final ClientHandshake client = new ClientHandshake(clientKeys.subjectPublicKeyInfo(),
            clientKeys.privateKeyParameters(), TlsPolicy.mandosDefault());
    private final byte[] secret;

    Exchange(byte[] secret) {
        this.secret = secret.clone();
    }

    byte[] secret() {
        return secret.clone();
    }

    ServerHandshake server() {
        return server;
    }

    TlsKeyPair clientKeys() {
        return clientKeys;
    }

    String clientKeyId() {
        return clientKeys.keyId();
    }

    /** Our server side as the connection handler runs it, minus the client registry. */
    String serve(Socket socket) throws IOException {
        VersionLine.check(VersionLine.read(socket.getInputStream()));
        ServerHandshake.Session session = server.handshake(socket);
        session.send(secret);
        socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        session.bye();
        return session.keyId();
    }

    /** What the honest result of {@code side} is. */
    Object honestResult(Side side) {
        return side == Side.SERVER ? clientKeyId() : new Bytes(secret);
    }

    /**
     * Feeds {@code input} to our {@code side}; afterwards the peer closes, stalls or resets. Our
     * replies go nowhere. {@code trickle} hands the stream over one byte per read.
     */
    Outcome replay(Side side, byte[] input, Mutation.Then end, boolean trickle) throws IOException {
        MemoryPipe in = new MemoryPipe();
        MemoryPipe out = new MemoryPipe();
        if (trickle) in.maxRead(1);
        in.out.write(input);
        switch (end) {
            case CLOSE, CONTINUE -> in.closeWriter();
            case RESET -> in.reset();
            case STALL -> { }
        }
        MemorySocket ours = side == Side.SERVER
                ? new MemorySocket(in, new SessionIdEcho(in, out), out) : new MemorySocket(in, out);
        ours.setSoTimeout(REPLAY_READ_TIMEOUT_MILLIS);
        Result result = new Result();
        Thread thread = Thread.ofVirtual().name("fuzz-ours").start(() -> runOurs(side, ours, result));
        boolean hung = !join(thread, DEADLINE);
        ours.close();
        out.closeReader();
        return new Outcome(result.thrown, hung, result.value, hung ? List.of(stack(thread)) : List.of(), List.of(),
                List.of());
    }

    /**
     * Runs our {@code side} against a live honest peer; the peer's unit number {@code mutateAt}
     * (0 is the version line when the peer is a client) goes through {@code mutator}. A negative
     * {@code mutateAt} mutates nothing, which records an honest transcript.
     */
    Outcome live(Side side, int mutateAt, Function<byte[], Mutation> mutator, boolean trickle)
            throws IOException {
        return live(side, mutateAt, mutator, trickle, side == Side.SERVER ? client::fetch : this::serve);
    }

    /** A peer's whole conversation on its socket; its failures are not under test. */
    interface Peer {
        void talk(Socket socket) throws IOException;
    }

    /** As {@link #live(Side, int, Function, boolean)} with a peer of the caller's making. */
    Outcome live(Side side, int mutateAt, Function<byte[], Mutation> mutator, boolean trickle, Peer peerScript)
            throws IOException {
        MemoryPipe peerToRelay = new MemoryPipe();
        MemoryPipe relayToOurs = new MemoryPipe();
        MemoryPipe oursToRelay = new MemoryPipe();
        MemoryPipe relayToPeer = new MemoryPipe();
        if (trickle) relayToOurs.maxRead(1);
        MemorySocket ours = new MemorySocket(relayToOurs, oursToRelay);
        MemorySocket peer = new MemorySocket(relayToPeer, peerToRelay);
        ours.setSoTimeout(READ_TIMEOUT_MILLIS);
        peer.setSoTimeout(PEER_READ_TIMEOUT_MILLIS);
        List<byte[]> peerUnits = Collections.synchronizedList(new ArrayList<>());
        List<byte[]> ourUnits = Collections.synchronizedList(new ArrayList<>());

        Result result = new Result();
        List<Thread> helpers = new ArrayList<>();
        helpers.add(Thread.ofVirtual().name("fuzz-peer").start(() -> runPeer(peerScript, peer)));
        helpers.add(Thread.ofVirtual().name("fuzz-relay-in").start(() -> relay(peerToRelay.in, relayToOurs,
                side == Side.SERVER, mutateAt, mutator, peerUnits)));
        helpers.add(Thread.ofVirtual().name("fuzz-relay-out").start(() -> relay(oursToRelay.in, relayToPeer,
                side == Side.CLIENT, -1, null, ourUnits)));
        Thread thread = Thread.ofVirtual().name("fuzz-ours").start(() -> runOurs(side, ours, result));
        boolean hung = !join(thread, DEADLINE);
        List<String> leftBehind = new ArrayList<>();
        if (hung) leftBehind.add(stack(thread));
        // What the connection handler does when our side is done: close; everything else must end.
        ours.close();
        peer.close();
        for (MemoryPipe pipe : List.of(peerToRelay, relayToOurs, oursToRelay, relayToPeer)) {
            pipe.closeReader();
            pipe.closeWriter();
        }
        for (Thread helper : helpers) {
            if (!join(helper, DEADLINE)) leftBehind.add(stack(helper));
        }
        return new Outcome(result.thrown, hung, result.value, leftBehind, List.copyOf(peerUnits),
                List.copyOf(ourUnits));
    }

    /**
     * A replayed client's ServerHello echoes the legacy_session_id of the ClientHello it answered
     * (RFC 8446 §4.1.3), which is random: without this, every replay would stop at that check. Once
     * our ClientHello is out, the first ServerHello-shaped record still unread gets its session id.
     */
    private static final class SessionIdEcho extends java.io.FilterInputStream {
        /** Record header, handshake header, version, random: then the session id's length and bytes. */
        private static final int SESSION_ID = Units.HEADER + 4 + 2 + 32;
        private static final int LENGTH = 32;
        private final MemoryPipe replayed;
        private final MemoryPipe ours;
        private boolean echoed;

        SessionIdEcho(MemoryPipe replayed, MemoryPipe ours) {
            super(replayed.in);
            this.replayed = replayed;
            this.ours = ours;
        }

        @Override public int read() throws IOException {
            echo();
            return super.read();
        }

        @Override public int read(byte[] b, int off, int len) throws IOException {
            echo();
            return super.read(b, off, len);
        }

        private void echo() {
            if (echoed) return;
            byte[] clientHello = ours.unread();
            if (clientHello.length < SESSION_ID + 1 + LENGTH || clientHello[SESSION_ID] != LENGTH) return;
            echoed = true;
            byte[] id = Arrays.copyOfRange(clientHello, SESSION_ID + 1, SESSION_ID + 1 + LENGTH);
            replayed.rewriteUnread(data -> {
                for (int at = 0; at + SESSION_ID + 1 + LENGTH <= data.length; at++) {
                    if (data[at] == Units.HANDSHAKE && data[at + Units.HEADER] == 2 && data[at + SESSION_ID] == LENGTH) {
                        System.arraycopy(id, 0, data, at + SESSION_ID + 1, LENGTH);
                        break;
                    }
                }
                return data;
            });
        }
    }

    private void runOurs(Side side, Socket socket, Result result) {
        try (socket) {
            result.value = side == Side.SERVER ? serve(socket) : new Bytes(client.fetch(socket));
        } catch (Throwable t) {
            result.thrown = t;
        }
    }

    private static void runPeer(Peer peer, Socket socket) {
        try (socket) {
            peer.talk(socket);
        } catch (IOException | RuntimeException e) {
            // The honest peer meets our mangled stream; its own failure is not what is under test here.
        }
    }

    private static void relay(InputStream from, MemoryPipe to, boolean versionLine, int mutateAt,
            Function<byte[], Mutation> mutator, List<byte[]> seen) {
        try {
            for (int index = 0; ; index++) {
                byte[] unit = Units.next(from, versionLine && index == 0);
                if (unit == null) {
                    to.closeWriter();
                    return;
                }
                seen.add(unit);
                if (index != mutateAt) {
                    to.out.write(unit);
                    continue;
                }
                Mutation mutation = mutator.apply(unit);
                for (byte[] part : mutation.replacement()) to.out.write(part);
                switch (mutation.then()) {
                    case CONTINUE -> { }
                    case CLOSE -> { to.closeWriter(); return; }
                    case STALL -> { return; }
                    case RESET -> { to.reset(); return; }
                }
            }
        } catch (IOException e) {
            to.reset();
        }
    }

    private static boolean join(Thread thread, Duration timeout) {
        try {
            return thread.join(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String stack(Thread thread) {
        StringBuilder s = new StringBuilder(thread.getName()).append(" still running:");
        for (StackTraceElement e : thread.getStackTrace()) s.append("\n\tat ").append(e);
        return s.toString();
    }

    private static final class Result {
        volatile Object value;
        volatile Throwable thrown;
    }

    /** A byte array with value equality, for comparing results. */
    record Bytes(byte[] value) {
        @Override public boolean equals(Object o) {
            return o instanceof Bytes b && Arrays.equals(value, b.value);
        }

        @Override public int hashCode() {
            return Arrays.hashCode(value);
        }

        @Override public String toString() {
            return value.length + " bytes";
        }
    }

}
