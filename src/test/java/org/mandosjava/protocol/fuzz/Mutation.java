package org.mandosjava.protocol.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * What a hostile peer does to one unit of an honest stream (the version line or one TLS record), and
 * what it does afterwards. Structure-aware: it knows record headers, so it reaches the states behind
 * a well-framed record (a garbled handshake message, an alert at a given point, a record split in
 * two) that blind byte flipping rarely does.
 */
record Mutation(Kind kind, List<byte[]> replacement, Then then) {

    /** What the hostile peer does after the mutated unit. */
    enum Then { CONTINUE, CLOSE, STALL, RESET }

    enum Kind {
        FLIP_BITS, FLIP_HEADER, SET_TYPE, SET_VERSION, SET_LENGTH, TRUNCATE_CLOSE, TRUNCATE_STALL, DROP,
        DUPLICATE, SPLIT, ALERT_BEFORE, ALERT_INSTEAD, CHANGE_CIPHER_SPEC_BEFORE, EMPTY_RECORD_BEFORE,
        RANDOM_BYTES, RANDOM_RECORD, OVERSIZED_RECORD, INSERT_BYTES, DELETE_BYTES, SPLICE, GARBAGE_CLOSE,
        CLOSE_BEFORE, STALL_BEFORE, RESET_BEFORE, ODD_VERSION_LINE
    }

    /** Version lines a confused or hostile client could send. */
    private static final List<String> VERSION_LINES = List.of("", "\n", "\r\n", "1", "1\n", "1\r", "01\r\n",
            " 1\r\n", "1 extra words\r\n", "2\r\n", "0\r\n", "-1\r\n", "1.0\r\n", "1\r\r\n", "\u00001\r\n",
            "1\u0000\r\n", "99999999999999999999\r\n", "１\r\n", "1".repeat(64) + "\n", "1".repeat(65) + "\n",
            "1\r\n1\r\n", "\u0016\u0003\u0001\u0000\u0005");
    private static final int[] INTERESTING_LENGTHS = {0, 1, 2, 5, 0x3fff, 0x4000, 0x4001, 0x4100, 0x4101,
            0x4200, 0x7fff, 0xffff};
    private static final int[] VERSIONS = {0x0300, 0x0301, 0x0302, 0x0303, 0x0304, 0x0000, 0xffff, 0xfefd};
    private static final Kind[] KINDS = Kind.values();

    /**
     * A random mutation of {@code unit}. {@code pool} holds records seen elsewhere (other transcripts,
     * the other direction) to splice in.
     */
    static Mutation of(byte[] unit, boolean isVersionLine, List<byte[]> pool, Random random) {
        Kind kind = KINDS[random.nextInt(KINDS.length)];
        if (kind == Kind.ODD_VERSION_LINE && !isVersionLine) kind = Kind.FLIP_BITS;
        byte[] u = unit.clone();
        Then then = Then.CONTINUE;
        List<byte[]> out = new ArrayList<>();
        switch (kind) {
            case FLIP_BITS -> {
                for (int i = 1 + random.nextInt(8); i > 0 && u.length > 0; i--) {
                    u[random.nextInt(u.length)] ^= (byte) (1 << random.nextInt(8));
                }
                out.add(u);
            }
            case FLIP_HEADER -> {
                int n = Math.min(u.length, Units.HEADER);
                if (n > 0) u[random.nextInt(n)] ^= (byte) (1 << random.nextInt(8));
                out.add(u);
            }
            case SET_TYPE -> {
                if (u.length > 0) u[0] = (byte) (random.nextBoolean() ? 20 + random.nextInt(5) : random.nextInt(256));
                out.add(u);
            }
            case SET_VERSION -> {
                if (u.length >= 3) {
                    int v = random.nextBoolean() ? VERSIONS[random.nextInt(VERSIONS.length)] : random.nextInt(65536);
                    u[1] = (byte) (v >> 8);
                    u[2] = (byte) v;
                }
                out.add(u);
            }
            case SET_LENGTH -> {
                if (u.length >= Units.HEADER) {
                    int body = u.length - Units.HEADER;
                    int[] near = {body - 1, body + 1, body * 2};
                    int len = random.nextBoolean() ? INTERESTING_LENGTHS[random.nextInt(INTERESTING_LENGTHS.length)]
                            : Math.max(0, near[random.nextInt(near.length)]) & 0xffff;
                    u[3] = (byte) (len >> 8);
                    u[4] = (byte) len;
                }
                out.add(u);
                then = random.nextBoolean() ? Then.CONTINUE : Then.CLOSE;
            }
            case TRUNCATE_CLOSE, TRUNCATE_STALL -> {
                out.add(Arrays.copyOf(u, u.length == 0 ? 0 : random.nextInt(u.length)));
                then = kind == Kind.TRUNCATE_CLOSE ? Then.CLOSE : Then.STALL;
            }
            case DROP -> { }
            case DUPLICATE -> {
                out.add(u);
                out.add(u.clone());
            }
            case SPLIT -> {
                if (!isVersionLine && u.length > Units.HEADER + 1) {
                    int body = u.length - Units.HEADER;
                    int cut = 1 + random.nextInt(body - 1);
                    int version = ((u[1] & 0xff) << 8) | (u[2] & 0xff);
                    out.add(Units.record(u[0], version, Arrays.copyOfRange(u, Units.HEADER, Units.HEADER + cut)));
                    out.add(Units.record(u[0], version, Arrays.copyOfRange(u, Units.HEADER + cut, u.length)));
                } else {
                    int cut = u.length == 0 ? 0 : random.nextInt(u.length);
                    out.add(Arrays.copyOf(u, cut));
                    out.add(Arrays.copyOfRange(u, cut, u.length));
                }
            }
            case ALERT_BEFORE, ALERT_INSTEAD -> {
                int level = random.nextInt(4) == 0 ? random.nextInt(256) : 1 + random.nextInt(2);
                int description = random.nextInt(3) == 0 ? 0 : random.nextInt(256);
                out.add(Units.record(Units.ALERT, 0x0303, new byte[] {(byte) level, (byte) description}));
                if (kind == Kind.ALERT_BEFORE) out.add(u);
            }
            case CHANGE_CIPHER_SPEC_BEFORE -> {
                out.add(Units.record(Units.CHANGE_CIPHER_SPEC, 0x0303, new byte[] {1}));
                out.add(u);
            }
            case EMPTY_RECORD_BEFORE -> {
                out.add(Units.record(20 + random.nextInt(5), 0x0303, new byte[0]));
                out.add(u);
            }
            case RANDOM_BYTES -> out.add(bytes(random, random.nextInt(2 * u.length + 2)));
            case RANDOM_RECORD -> out.add(Units.record(20 + random.nextInt(5), 0x0303,
                    bytes(random, random.nextInt(300))));
            case OVERSIZED_RECORD -> out.add(Units.record(20 + random.nextInt(4), 0x0303,
                    bytes(random, (1 << 14) + 1 + random.nextInt(2048))));
            case INSERT_BYTES -> {
                int at = random.nextInt(u.length + 1);
                byte[] extra = bytes(random, 1 + random.nextInt(16));
                out.add(concat(Arrays.copyOf(u, at), extra, Arrays.copyOfRange(u, at, u.length)));
            }
            case DELETE_BYTES -> {
                int at = u.length == 0 ? 0 : random.nextInt(u.length);
                int n = Math.min(u.length - at, 1 + random.nextInt(16));
                out.add(concat(Arrays.copyOf(u, at), Arrays.copyOfRange(u, at + n, u.length)));
            }
            case SPLICE -> out.add(pool.isEmpty() ? u : pool.get(random.nextInt(pool.size())).clone());
            case GARBAGE_CLOSE -> {
                out.add(bytes(random, random.nextInt(64)));
                then = Then.CLOSE;
            }
            case CLOSE_BEFORE -> then = Then.CLOSE;
            case STALL_BEFORE -> then = Then.STALL;
            case RESET_BEFORE -> then = Then.RESET;
            case ODD_VERSION_LINE -> out.add(VERSION_LINES.get(random.nextInt(VERSION_LINES.size()))
                    .getBytes(StandardCharsets.UTF_8));
        }
        return new Mutation(kind, out, then);
    }

    private static byte[] bytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static byte[] concat(byte[]... parts) {
        return Units.concat(List.of(parts));
    }
}
