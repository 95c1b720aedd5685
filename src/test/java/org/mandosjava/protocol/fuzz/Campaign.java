package org.mandosjava.protocol.fuzz;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.security.SecureRandom;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.mandosjava.keys.TlsKeyPair;
import org.mandosjava.protocol.fuzz.Exchange.Outcome;
import org.mandosjava.protocol.fuzz.Exchange.Side;

/**
 * A fuzzing run: inputs made from honest transcripts by {@link Mutation}s, checked by the
 * {@link Oracle}. Every input is reproducible from the run's seed and its number ({@link #random}).
 */
final class Campaign {
    /** The peer-controlled inputs the campaign can aim at. */
    enum Target {
        /** Our server reads a mutated version line and first record, then the peer closes or stalls. */
        SERVER_FIRST_RECORD,
        /** Our server reads a replayed client stream with one unit mutated (and maybe more after it). */
        SERVER_REPLAY,
        /** Our client reads a replayed server stream with one unit mutated. */
        CLIENT_REPLAY,
        /** Our server against a live client whose record number k is mutated, at every point. */
        SERVER_LIVE,
        /** Our client against a live server whose record number k is mutated, at every point. */
        CLIENT_LIVE,
        /** Our server against a client whose encrypted messages are hostile: raw key, signature, extensions. */
        SERVER_HOSTILE_CLIENT,
        /** Our client against an authenticated server that misbehaves in the secret transfer and close. */
        CLIENT_HOSTILE_SERVER
    }

    private final Exchange exchange;
    private final long seed;
    private final List<byte[]> clientStream;
    private final List<byte[]> serverStream;
    private final List<byte[]> pool = new ArrayList<>();
    private final Map<String, Integer> outcomes = new TreeMap<>();
    private final List<String> findings = new ArrayList<>();
    private final Map<String, String> examples = new TreeMap<>();
    private long inputs;
    private final BcTlsCrypto peerCrypto = new BcTlsCrypto(new SecureRandom());
    private final TlsKeyPair otherClient = TlsKeyPair.generateEd25519();

    Campaign(Exchange exchange, long seed) throws IOException {
        this.exchange = exchange;
        this.seed = seed;
        // In a cold JVM class loading can outlast the short read timeout: the first tries warm it up.
        Outcome honest = null;
        for (int attempt = 0; attempt < 5 && !succeeded(honest); attempt++) {
            honest = exchange.live(Side.SERVER, -1, null, false);
        }
        if (!succeeded(honest)) throw new IllegalStateException("the honest exchange failed", honest.thrown());
        clientStream = honest.peerUnits();
        serverStream = honest.ourUnits();
        pool.addAll(clientStream.subList(1, clientStream.size()));
        pool.addAll(serverStream);
    }

    private boolean succeeded(Outcome honest) {
        return honest != null && honest.thrown() == null && exchange.honestResult(Side.SERVER).equals(honest.result());
    }

    /** The client's honest stream: version line, then records. */
    List<byte[]> clientStream() {
        return clientStream;
    }

    /** The server's honest stream: records. */
    List<byte[]> serverStream() {
        return serverStream;
    }

    Random random(long input) {
        return new Random(seed * 1_000_003L + input);
    }

    /** Runs {@code target} until {@code maxInputs} inputs or {@code budget} have passed, whichever first. */
    void run(Target target, long maxInputs, Duration budget) throws IOException {
        long end = System.nanoTime() + budget.toNanos();
        for (long i = 0; i < maxInputs && System.nanoTime() - end < 0; i++) {
            one(target, i);
        }
    }

    void one(Target target, long number) throws IOException {
        Random random = random(number);
        boolean trickle = random.nextInt(16) == 0;
        Side side = target.name().startsWith("CLIENT") ? Side.CLIENT : Side.SERVER;
        List<byte[]> honest = side == Side.SERVER ? clientStream : serverStream;
        Outcome outcome;
        String input;
        Object expected = exchange.honestResult(side);
        switch (target) {
            case SERVER_FIRST_RECORD, SERVER_REPLAY, CLIENT_REPLAY -> {
                List<byte[]> units = new ArrayList<>(target == Target.SERVER_FIRST_RECORD
                        ? honest.subList(0, 2) : honest);
                Mutation.Then end = Mutation.Then.CLOSE;
                // Several mutations now and then: a deeper unit behind an odd but accepted one.
                for (int m = random.nextInt(8) == 0 ? 2 + random.nextInt(3) : 1; m > 0 && !units.isEmpty(); m--) {
                    int at = random.nextInt(units.size());
                    Mutation mutation = Mutation.of(units.get(at), side == Side.SERVER && at == 0, pool, random);
                    List<byte[]> next = new ArrayList<>(units.subList(0, at));
                    next.addAll(mutation.replacement());
                    if (mutation.then() == Mutation.Then.CONTINUE) {
                        next.addAll(units.subList(at + 1, units.size()));
                    } else {
                        end = mutation.then();
                    }
                    units = next;
                }
                if (end == Mutation.Then.STALL && random.nextInt(4) != 0) end = Mutation.Then.CLOSE;
                byte[] bytes = Units.concat(units);
                input = "replay " + end + (trickle ? " trickled " : " ") + HexFormat.of().formatHex(bytes);
                outcome = exchange.replay(side, bytes, end, trickle);
            }
            case SERVER_LIVE, CLIENT_LIVE -> {
                int at = random.nextInt(honest.size() + 1);
                List<Mutation> applied = new ArrayList<>();
                outcome = exchange.live(side, at, unit -> {
                    Mutation m = Mutation.of(unit, side == Side.SERVER && at == 0, pool, random);
                    applied.add(m);
                    return m;
                }, trickle);
                input = "live, unit " + at + ": " + (applied.isEmpty() ? "none" : applied.get(0).kind())
                        + (trickle ? ", trickled" : "");
            }
            case SERVER_HOSTILE_CLIENT -> {
                HostileTlsServer peer = new HostileTlsServer(peerCrypto, exchange.clientKeys(), otherClient, random);
                outcome = exchange.live(side, -1, null, trickle, peer::talk);
                expected = peer.expectedKeyId();
                input = "hostile client (" + peer + ") expecting " + expected + (trickle ? ", trickled" : "");
            }
            case CLIENT_HOSTILE_SERVER -> {
                HostileMandosServer peer = new HostileMandosServer(exchange.server(), random);
                outcome = exchange.live(side, -1, null, trickle, peer::talk);
                expected = peer.expectedSecret();
                input = "hostile server (" + peer + ") expecting " + expected + (trickle ? ", trickled" : "");
            }
            default -> throw new AssertionError(target);
        }
        inputs++;
        String label = target + " " + Oracle.label(outcome.thrown());
        outcomes.merge(label, 1, Integer::sum);
        examples.computeIfAbsent(label, l -> "input " + number + ": " + input
                + (outcome.thrown() == null ? "" : "\n  thrown: " + stackOf(outcome.thrown())));
        String problem = problem(expected, outcome);
        if (problem != null && findings.size() < 20) {
            findings.add(target + " seed " + seed + " input " + number + ": " + problem + "\n  input: " + input
                    + (outcome.thrown() == null ? "" : "\n  thrown: " + stackOf(outcome.thrown())));
        }
    }

    private static String problem(Object expected, Outcome outcome) {
        if (outcome.hung()) return "no result within " + Exchange.DEADLINE + ": " + outcome.leftBehind();
        if (!outcome.leftBehind().isEmpty()) return "threads left behind: " + outcome.leftBehind();
        String violation = Oracle.violation(outcome.thrown());
        if (violation != null) return violation;
        if (outcome.thrown() == null && (expected == null || !expected.equals(outcome.result()))) {
            return "completed with a result that is not the honest one: " + outcome.result();
        }
        return null;
    }

    private static String stackOf(Throwable t) {
        StringBuilder s = new StringBuilder(t.toString());
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c != t) s.append("\n  caused by ").append(c);
            StackTraceElement[] trace = c.getStackTrace();
            for (int i = 0; i < Math.min(8, trace.length); i++) s.append("\n\tat ").append(trace[i]);
        }
        return s.toString();
    }

    long inputs() {
        return inputs;
    }

    /** How many inputs of {@code target} ended in each way (exception type, alert). */
    Map<String, Integer> outcomes(Target target) {
        Map<String, Integer> of = new TreeMap<>();
        outcomes.forEach((key, n) -> {
            if (key.startsWith(target + " ")) of.put(key.substring(target.toString().length() + 1), n);
        });
        return of;
    }

    /** The first input that ended in each way, for reading what the fuzzer reached. */
    Map<String, String> examples() {
        return examples;
    }

    List<String> findings() {
        return findings;
    }
}
