package org.mandosjava.platform;

import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * AES-GCM from nettle ({@code libnettle.so.8}), the library under GnuTLS: compiled code using the
 * CPU's AES and carry-less multiply instructions from a fresh server's first record, where the
 * runtime's AES-GCM runs interpreted and then costs its compiler half a second in the first seconds
 * of a reboot storm.
 *
 * <p>Each call is one whole record: nettle's context (the expanded key and the hash key) lives in
 * one {@link NativeSecret} for the length of the call and is zeroed before it is freed, so no key
 * material stays in the C heap and nothing needs closing. Setting a key up costs nettle about a
 * tenth of a microsecond.
 *
 * <p>Optional: {@link #available()} is false when the library or a function is missing or when it
 * fails the known-answer tests of the GCM specification; callers then use the runtime's AES-GCM.
 * Bound on first use, by direct mapping.
 */
public final class NettleAesGcm {
    public static final int TAG_SIZE = 16;
    public static final int NONCE_SIZE = 12;

    /**
     * {@code sizeof(struct gcm_aes256_ctx)} in libnettle.so.8 (the hash key table, the GCM state,
     * the AES-256 key schedule); AES-128's context is smaller and fits in the same room.
     */
    private static final int CONTEXT_SIZE = 4400;
    /** Every piece starts 16-byte aligned, as nettle's context wants. */
    private static final int KEY_OFFSET = CONTEXT_SIZE;
    private static final int NONCE_OFFSET = KEY_OFFSET + 32;
    private static final int TAG_OFFSET = NONCE_OFFSET + 16;
    private static final int AAD_OFFSET = TAG_OFFSET + TAG_SIZE;

    private NettleAesGcm() {}

    /** Whether the library is loaded and passed its known-answer tests. */
    public static boolean available() {
        return Probe.AVAILABLE;
    }

    /**
     * Encrypts {@code length} bytes of {@code in} and writes the ciphertext followed by the tag to
     * {@code out} (which may be {@code in}, at the same offset).
     *
     * @param key 16 bytes (AES-128) or 32 (AES-256)
     * @return the bytes written: {@code length + TAG_SIZE}
     */
    public static int seal(byte[] key, byte[] nonce, byte[] aad, byte[] in, int inOffset, int length, byte[] out,
            int outOffset) {
        checkRange(in, inOffset, length, "input");
        checkRange(out, outOffset, length + TAG_SIZE, "output");
        byte[] tag = new byte[TAG_SIZE];
        run(true, key, nonce, aad, in, inOffset, length, out, outOffset, tag);
        System.arraycopy(tag, 0, out, outOffset + length, TAG_SIZE);
        return length + TAG_SIZE;
    }

    /**
     * Checks and decrypts {@code length} bytes of {@code in} (ciphertext then tag) into {@code out}
     * (which may be {@code in}, at the same offset). Nothing is written when the tag is wrong.
     *
     * @return the plaintext's length, or -1 if the tag does not match
     */
    public static int open(byte[] key, byte[] nonce, byte[] aad, byte[] in, int inOffset, int length, byte[] out,
            int outOffset) {
        checkRange(in, inOffset, length, "input");
        if (length < TAG_SIZE) return -1;
        int plain = length - TAG_SIZE;
        checkRange(out, outOffset, plain, "output");
        byte[] tag = Arrays.copyOfRange(in, inOffset + plain, inOffset + length);
        return run(false, key, nonce, aad, in, inOffset, plain, out, outOffset, tag) ? plain : -1;
    }

    /**
     * Encrypts (and writes the tag into {@code tag}) or decrypts (and checks it against {@code tag})
     * {@code length} bytes; the result reaches {@code out} only if the check passed.
     */
    private static boolean run(boolean encrypting, byte[] key, byte[] nonce, byte[] aad, byte[] in, int inOffset,
            int length, byte[] out, int outOffset, byte[] tag) {
        Cipher cipher = Cipher.of(key, nonce);
        int dataOffset = AAD_OFFSET + align(aad.length);
        try (NativeSecret n = new NativeSecret(dataOffset + Math.max(length, 1))) {
            Pointer base = n.pointer();
            start(cipher, base, key, nonce, aad);
            Pointer data = base.share(dataOffset);
            data.write(0, in, inOffset, length);
            if (encrypting) {
                cipher.encrypt(base, length, data);
            } else {
                cipher.decrypt(base, length, data);
            }
            cipher.digest(base, base.share(TAG_OFFSET));
            byte[] computed = base.getByteArray(TAG_OFFSET, TAG_SIZE);
            if (encrypting) {
                System.arraycopy(computed, 0, tag, 0, TAG_SIZE);
            } else if (!MessageDigest.isEqual(computed, tag)) {
                return false;
            }
            data.read(0, out, outOffset, length);
            return true;
        }
    }

    /** Sets nettle's context at the start of {@code base} up for one record: key, nonce, associated data. */
    private static void start(Cipher cipher, Pointer base, byte[] key, byte[] nonce, byte[] aad) {
        base.write(KEY_OFFSET, key, 0, key.length);
        base.write(NONCE_OFFSET, nonce, 0, NONCE_SIZE);
        cipher.setKey(base, base.share(KEY_OFFSET));
        // The expanded key is in the context now; the raw key need not stay until the wipe.
        base.setMemory(KEY_OFFSET, key.length, (byte) 0);
        cipher.setIv(base, base.share(NONCE_OFFSET));
        if (aad.length > 0) {
            base.write(AAD_OFFSET, aad, 0, aad.length);
            cipher.update(base, aad.length, base.share(AAD_OFFSET));
        }
    }

    private static int align(int length) {
        return (length + 15) & ~15;
    }

    private static void checkRange(byte[] array, int offset, int length, String what) {
        if (offset < 0 || length < 0 || offset > array.length - length) {
            throw new IllegalArgumentException(what + ": " + length + " bytes at " + offset + " of " + array.length);
        }
    }

    /** The nettle functions for one key size. */
    private enum Cipher {
        AES_128 {
            @Override void setKey(Pointer ctx, Pointer key) { Binding.nettle_gcm_aes128_set_key(ctx, key); }
            @Override void setIv(Pointer ctx, Pointer iv) { Binding.nettle_gcm_aes128_set_iv(ctx, IV_LENGTH, iv); }
            @Override void update(Pointer ctx, int length, Pointer data) { Binding.nettle_gcm_aes128_update(ctx, new NativeLong(length), data); }
            @Override void encrypt(Pointer ctx, int length, Pointer data) { Binding.nettle_gcm_aes128_encrypt(ctx, new NativeLong(length), data, data); }
            @Override void decrypt(Pointer ctx, int length, Pointer data) { Binding.nettle_gcm_aes128_decrypt(ctx, new NativeLong(length), data, data); }
            @Override void digest(Pointer ctx, Pointer tag) { Binding.nettle_gcm_aes128_digest(ctx, TAG_LENGTH, tag); }
        },
        AES_256 {
            @Override void setKey(Pointer ctx, Pointer key) { Binding.nettle_gcm_aes256_set_key(ctx, key); }
            @Override void setIv(Pointer ctx, Pointer iv) { Binding.nettle_gcm_aes256_set_iv(ctx, IV_LENGTH, iv); }
            @Override void update(Pointer ctx, int length, Pointer data) { Binding.nettle_gcm_aes256_update(ctx, new NativeLong(length), data); }
            @Override void encrypt(Pointer ctx, int length, Pointer data) { Binding.nettle_gcm_aes256_encrypt(ctx, new NativeLong(length), data, data); }
            @Override void decrypt(Pointer ctx, int length, Pointer data) { Binding.nettle_gcm_aes256_decrypt(ctx, new NativeLong(length), data, data); }
            @Override void digest(Pointer ctx, Pointer tag) { Binding.nettle_gcm_aes256_digest(ctx, TAG_LENGTH, tag); }
        };

        private static final NativeLong IV_LENGTH = new NativeLong(NONCE_SIZE);
        private static final NativeLong TAG_LENGTH = new NativeLong(TAG_SIZE);

        static Cipher of(byte[] key, byte[] nonce) {
            if (nonce.length != NONCE_SIZE) throw new IllegalArgumentException("nonce: " + nonce.length + " bytes, not " + NONCE_SIZE);
            return switch (key.length) {
                case 16 -> AES_128;
                case 32 -> AES_256;
                default -> throw new IllegalArgumentException("key: " + key.length + " bytes, not 16 or 32");
            };
        }

        abstract void setKey(Pointer ctx, Pointer key);

        abstract void setIv(Pointer ctx, Pointer iv);

        abstract void update(Pointer ctx, int length, Pointer data);

        /** In place: nettle allows the destination to be the source. */
        abstract void encrypt(Pointer ctx, int length, Pointer data);

        abstract void decrypt(Pointer ctx, int length, Pointer data);

        abstract void digest(Pointer ctx, Pointer tag);
    }

    private static final class Binding {
        static {
            Native.register(Binding.class, NativeLibraries.nettle());
        }

        private Binding() {}

        static native void nettle_gcm_aes128_set_key(Pointer ctx, Pointer key);
        static native void nettle_gcm_aes128_set_iv(Pointer ctx, NativeLong length, Pointer iv);
        static native void nettle_gcm_aes128_update(Pointer ctx, NativeLong length, Pointer data);
        static native void nettle_gcm_aes128_encrypt(Pointer ctx, NativeLong length, Pointer dst, Pointer src);
        static native void nettle_gcm_aes128_decrypt(Pointer ctx, NativeLong length, Pointer dst, Pointer src);
        static native void nettle_gcm_aes128_digest(Pointer ctx, NativeLong length, Pointer digest);

        static native void nettle_gcm_aes256_set_key(Pointer ctx, Pointer key);
        static native void nettle_gcm_aes256_set_iv(Pointer ctx, NativeLong length, Pointer iv);
        static native void nettle_gcm_aes256_update(Pointer ctx, NativeLong length, Pointer data);
        static native void nettle_gcm_aes256_encrypt(Pointer ctx, NativeLong length, Pointer dst, Pointer src);
        static native void nettle_gcm_aes256_decrypt(Pointer ctx, NativeLong length, Pointer dst, Pointer src);
        static native void nettle_gcm_aes256_digest(Pointer ctx, NativeLong length, Pointer digest);
    }

    private static final class Probe {
        // False without libnettle.so.8 or one of these functions, and the runtime's AES-GCM does the work.
        static final boolean AVAILABLE = NativeLibraries.passes(Probe::knownAnswers);

        private Probe() {}

        /** Test cases 2, 14 and 16 of McGrew and Viega's GCM specification, then a forged tag. */
        private static boolean knownAnswers() {
            HexFormat hex = HexFormat.of();
            byte[] none = new byte[0];
            if (!sealsTo(new byte[16], new byte[NONCE_SIZE], none, new byte[16],
                    hex.parseHex("0388dace60b6a392f328c2b971b2fe78ab6e47d42cec13bdf53a67b21257bddf"))) {
                return false;
            }
            if (!sealsTo(new byte[32], new byte[NONCE_SIZE], none, new byte[16],
                    hex.parseHex("cea7403d4d606b6e074ec5d3baf39d18d0d1c8a799996bf0265b98b5d48ab919"))) {
                return false;
            }
            byte[] key = hex.parseHex("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308");
            byte[] nonce = hex.parseHex("cafebabefacedbaddecaf888");
            byte[] aad = hex.parseHex("feedfacedeadbeeffeedfacedeadbeefabaddad2");
            byte[] plain = hex.parseHex("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
                    + "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39");
            byte[] sealed = hex.parseHex("522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
                    + "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662"
                    + "76fc6ece0f4e1768cddf8853bb2d551b");
            if (!sealsTo(key, nonce, aad, plain, sealed)) return false;
            sealed[sealed.length - 1] ^= 1;
            return open(key, nonce, aad, sealed, 0, sealed.length, new byte[plain.length], 0) == -1;
        }

        private static boolean sealsTo(byte[] key, byte[] nonce, byte[] aad, byte[] plain, byte[] sealed) {
            byte[] out = new byte[plain.length + TAG_SIZE];
            seal(key, nonce, aad, plain, 0, plain.length, out, 0);
            if (!Arrays.equals(out, sealed)) return false;
            byte[] back = new byte[plain.length];
            return open(key, nonce, aad, sealed, 0, sealed.length, back, 0) == plain.length && Arrays.equals(back, plain);
        }
    }
}
