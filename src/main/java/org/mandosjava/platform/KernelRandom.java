package org.mandosjava.platform;

import com.sun.jna.LastErrorException;
import com.sun.jna.NativeLong;
import java.security.SecureRandom;
import java.security.SecureRandomSpi;

/**
 * Random bytes straight from the kernel's generator ({@code getrandom(2)}), the source GnuTLS and
 * the C floor server draw on. The runtime's default ({@code NativePRNG}) reads the same kernel
 * generator but mixes every read with its own SHA1PRNG, Java code a fresh server runs interpreted
 * and then compiles in the first second of a reboot storm; and it reads {@code /dev/urandom}, which
 * answers even before the kernel's generator is seeded, where {@code getrandom} waits for it.
 *
 * <p>The bytes pass through a {@link NativeSecret}, zeroed before it is freed: they become private
 * keys. Thread-safe: each call is one system call into memory of its own, so draws go straight to
 * the kernel instead of through {@link SecureRandom}'s lock, which it holds around any generator it
 * does not know to be thread-safe; with one generator for every handshake, a storm's connections
 * would queue on it.
 */
public final class KernelRandom extends SecureRandom {
    private static final long serialVersionUID = 1L;
    /** {@code EINTR}: a signal arrived before any byte was written. */
    private static final int EINTR = 4;
    /** One call returns at most this many bytes from the kernel; larger requests loop. */
    private static final int MAX_CALL = 256;

    private KernelRandom() {
        super(new Spi(), null);
    }

    /** The kernel's generator, or the runtime's default where {@code getrandom} cannot be called. */
    public static SecureRandom orDefault() {
        return Probe.AVAILABLE ? new KernelRandom() : new SecureRandom();
    }

    /** Whether {@code getrandom} answered here. */
    public static boolean available() {
        return Probe.AVAILABLE;
    }

    @Override
    public String getAlgorithm() {
        return "getrandom";
    }

    @Override
    public void nextBytes(byte[] bytes) {
        fill(bytes);
    }

    @Override
    public byte[] generateSeed(int numBytes) {
        if (numBytes < 0) throw new IllegalArgumentException("numBytes cannot be negative");
        byte[] seed = new byte[numBytes];
        fill(seed);
        return seed;
    }

    static void fill(byte[] out) {
        int done = 0;
        while (done < out.length) {
            int want = Math.min(MAX_CALL, out.length - done);
            try (NativeSecret buffer = new NativeSecret(want)) {
                int got;
                try {
                    got = LibC.getrandom(buffer.pointer(), new NativeLong(want), 0).intValue();
                } catch (LastErrorException e) {
                    if (e.getErrorCode() == EINTR) continue;
                    throw new IllegalStateException("getrandom: " + e.getMessage(), e);
                }
                buffer.pointer().read(0, out, done, got);
                done += got;
            }
        }
    }

    private static final class Spi extends SecureRandomSpi {
        private static final long serialVersionUID = 1L;

        @Override
        protected void engineSetSeed(byte[] seed) {
            // The kernel's generator takes no seed from us; ignoring one is what NativePRNG's read side does.
        }

        @Override
        protected void engineNextBytes(byte[] bytes) {
            fill(bytes);
        }

        @Override
        protected byte[] engineGenerateSeed(int numBytes) {
            byte[] seed = new byte[numBytes];
            fill(seed);
            return seed;
        }
    }

    private static final class Probe {
        // False with a libc before glibc 2.25 (no getrandom) or a seccomp filter refusing the call.
        static final boolean AVAILABLE = NativeLibraries.passes(Probe::twoDrawsDiffer);

        private Probe() {}

        private static boolean twoDrawsDiffer() {
            byte[] a = new byte[32];
            byte[] b = new byte[32];
            fill(a);
            fill(b);
            return !java.util.Arrays.equals(a, b);
        }
    }
}
