package org.mandosjava.protocol;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import org.bouncycastle.crypto.ExtendedDigest;

/**
 * A JDK {@link MessageDigest} in Bouncy Castle's digest interface, so that the TLS engine's
 * transcript hash, HMAC and HKDF run on the runtime's SHA-2, which the JIT compiles to the CPU's SHA
 * extensions or vector code, instead of Bouncy Castle's portable Java.
 *
 * <p>Not {@link org.bouncycastle.util.Memoable}: HMAC then hashes its padded key block again at each
 * use instead of restoring a saved state. Restoring one clones a JDK digest (about 1 KB for
 * SHA-384), and the TLS 1.3 key schedule uses each HMAC key once or twice: the clones would be a
 * third of what a handshake allocates, where one more compression costs less.
 *
 * <p>Not thread-safe, like any digest; a prototype is only ever cloned, never updated, so one serves
 * every thread.
 */
final class JdkDigest implements ExtendedDigest {
    private final Prototype algorithm;
    private final MessageDigest digest;

    private JdkDigest(Prototype algorithm, MessageDigest digest) {
        this.algorithm = algorithm;
        this.digest = digest;
    }

    /**
     * A fresh digest state from {@code prototype}: cloning skips the provider lookup
     * {@link MessageDigest#getInstance} does at every call.
     */
    static JdkDigest from(Prototype prototype) {
        return new JdkDigest(prototype, prototype.newDigest());
    }

    @Override
    public String getAlgorithmName() {
        return algorithm.name;
    }

    @Override
    public int getDigestSize() {
        return digest.getDigestLength();
    }

    @Override
    public int getByteLength() {
        return algorithm.blockLength;
    }

    @Override
    public void update(byte in) {
        digest.update(in);
    }

    @Override
    public void update(byte[] in, int offset, int length) {
        digest.update(in, offset, length);
    }

    @Override
    public int doFinal(byte[] out, int offset) {
        try {
            return digest.digest(out, offset, digest.getDigestLength());
        } catch (DigestException e) {
            // Only an output array too short, which is the caller's bug, as with Bouncy Castle's digests.
            throw new IllegalArgumentException("output buffer too short", e);
        }
    }

    @Override
    public void reset() {
        digest.reset();
    }

    /** An independent digest in the same state (the transcript hash forks at each handshake message). */
    JdkDigest copy() {
        return new JdkDigest(algorithm, cloneOf(digest));
    }

    private static MessageDigest cloneOf(MessageDigest digest) {
        try {
            return (MessageDigest) digest.clone();
        } catch (CloneNotSupportedException e) {
            // A prototype is only made from a digest that cloned once (Prototype.of).
            throw new IllegalStateException(e);
        }
    }

    /** One SHA-2 algorithm of the runtime, checked once to be present and cloneable. */
    static final class Prototype {
        private final String name;
        private final int blockLength;
        private final MessageDigest prototype;

        private Prototype(String name, int blockLength, MessageDigest prototype) {
            this.name = name;
            this.blockLength = blockLength;
            this.prototype = prototype;
        }

        /**
         * The runtime's {@code name} ({@code "SHA-256"}, ...) with its block length in bytes; empty if
         * the runtime lacks it or cannot clone it (a restricted provider), so the caller keeps its own.
         */
        static Optional<Prototype> of(String name, int blockLength) {
            try {
                MessageDigest digest = MessageDigest.getInstance(name);
                digest.clone();
                return Optional.of(new Prototype(name, blockLength, digest));
            } catch (NoSuchAlgorithmException | CloneNotSupportedException e) {
                return Optional.empty();
            }
        }

        MessageDigest newDigest() {
            return cloneOf(prototype);
        }
    }
}
