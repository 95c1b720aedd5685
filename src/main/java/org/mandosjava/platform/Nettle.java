package org.mandosjava.platform;

import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * X25519 and Ed25519 verification from nettle ({@code libhogweed.so.6}), the library under GnuTLS
 * and so under the real mandos-client and the Python server. Its code is compiled: a server that
 * has just booted runs it at full speed from its first handshake, where Bouncy Castle's Java runs
 * interpreted, then waits seconds for the JIT (the largest compilations of a fresh server are its
 * curve arithmetic).
 *
 * <p>Optional: {@link #available()} is false when the library or one of its functions is missing,
 * or when it fails the known-answer tests of RFC 7748 and RFC 8032; callers then use Bouncy Castle.
 * Bound on first use, by direct mapping (no proxy class, no reflection per call). Every argument is
 * a fixed-size array checked here before the call, so no input reaches nettle with a length it
 * does not expect. The X25519 scalar and shared secret cross in {@link NativeSecret}s, zeroed
 * before they are freed.
 */
public final class Nettle {
    public static final int X25519_SIZE = 32;
    public static final int ED25519_KEY_SIZE = 32;
    public static final int ED25519_SIGNATURE_SIZE = 64;

    private Nettle() {}

    /** Whether the library is loaded and passed its known-answer tests. */
    public static boolean available() {
        return Probe.AVAILABLE;
    }

    /** The scalar multiple of the base point: an X25519 public value. The scalar is clamped as RFC 7748 says. */
    public static void x25519Base(byte[] out, byte[] scalar) {
        check(out, X25519_SIZE, "output");
        check(scalar, X25519_SIZE, "scalar");
        try (NativeSecret n = new NativeSecret(scalar)) {
            Binding.nettle_curve25519_mul_g(out, n.pointer());
        }
    }

    /** X25519 (RFC 7748): {@code out} = {@code scalar} × {@code point}. The caller checks for an all-zero result. */
    public static void x25519(byte[] out, byte[] scalar, byte[] point) {
        check(out, X25519_SIZE, "output");
        check(scalar, X25519_SIZE, "scalar");
        check(point, X25519_SIZE, "point");
        try (NativeSecret n = new NativeSecret(scalar); NativeSecret q = new NativeSecret(X25519_SIZE)) {
            Binding.nettle_curve25519_mul(q.pointer(), n.pointer(), point);
            q.readInto(out);
        }
    }

    /** Pure Ed25519 (RFC 8032); false for a signature or key of the wrong size. */
    public static boolean ed25519Verify(byte[] publicKey, byte[] message, byte[] signature) {
        if (publicKey.length != ED25519_KEY_SIZE || signature.length != ED25519_SIGNATURE_SIZE) return false;
        return Binding.nettle_ed25519_sha512_verify(publicKey, new NativeLong(message.length), message, signature) == 1;
    }

    private static void check(byte[] array, int size, String what) {
        if (array.length != size) throw new IllegalArgumentException(what + ": " + array.length + " bytes, not " + size);
    }

    private static final class Binding {
        static {
            Native.register(Binding.class, NativeLibraries.hogweed());
        }

        private Binding() {}

        static native void nettle_curve25519_mul_g(byte[] q, Pointer n);

        static native void nettle_curve25519_mul(Pointer q, Pointer n, byte[] p);

        static native int nettle_ed25519_sha512_verify(byte[] pub, NativeLong length, byte[] msg, byte[] signature);
    }

    private static final class Probe {
        // False without libhogweed.so.6 or one of these functions, and Bouncy Castle does the work.
        static final boolean AVAILABLE = NativeLibraries.passes(Probe::knownAnswers);

        private Probe() {}

        private static boolean knownAnswers() {
            HexFormat hex = HexFormat.of();
            byte[] out = new byte[X25519_SIZE];
            // RFC 7748 §5.2, the first X25519 vector.
            x25519(out, hex.parseHex("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4"),
                    hex.parseHex("e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c"));
            if (!Arrays.equals(out, hex.parseHex("c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552"))) {
                return false;
            }
            // RFC 7748 §6.1: Alice's public value from her private key.
            x25519Base(out, hex.parseHex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"));
            if (!Arrays.equals(out, hex.parseHex("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a"))) {
                return false;
            }
            // RFC 8032 §7.1, TEST 2 (a one-byte message); then the same with a bit of the signature flipped.
            byte[] key = hex.parseHex("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c");
            byte[] message = {0x72};
            byte[] signature = hex.parseHex("92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
                    + "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00");
            if (!ed25519Verify(key, message, signature)) return false;
            signature[7] ^= 1;
            return !ed25519Verify(key, message, signature);
        }
    }
}
