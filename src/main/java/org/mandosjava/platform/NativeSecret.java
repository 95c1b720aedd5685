package org.mandosjava.platform;

import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * Secret bytes in C memory for the length of one native call, zeroed before the memory is freed.
 * JNA passes a Java array to C as a copy it frees without zeroing, which would leave key material
 * in the C heap for malloc's next caller to find; secrets go to C through this instead.
 *
 * <p>Plain {@code malloc} and {@code free} rather than JNA's {@code Memory}: each {@code Memory}
 * also enters a global map and registers with JNA's cleaner thread, work that a TLS record or a
 * random draw would pay for several times per handshake, and that a fresh server's JIT would have
 * to compile. Freeing is this class's job alone, so it must be closed (try-with-resources).
 *
 * <p>Not thread-safe: one call's argument.
 */
final class NativeSecret implements AutoCloseable {
    private final long size;
    private long peer;
    private final Pointer pointer;

    /** Room for {@code size} bytes (at least one), zeroed (for a secret result). */
    NativeSecret(int size) {
        if (size <= 0) throw new IllegalArgumentException("size " + size);
        this.size = size;
        this.peer = Native.malloc(size);
        if (peer == 0) throw new OutOfMemoryError("malloc(" + size + ") for a native secret");
        this.pointer = new Pointer(peer);
        pointer.setMemory(0, size, (byte) 0);
    }

    /** A copy of {@code value}. */
    NativeSecret(byte[] value) {
        this(value.length);
        pointer.write(0, value, 0, value.length);
    }

    /** The memory; valid until {@link #close()}, and never to be read or written past its size. */
    Pointer pointer() {
        if (peer == 0) throw new IllegalStateException("closed");
        return pointer;
    }

    /** Copies the first {@code out.length} bytes into {@code out}. */
    void readInto(byte[] out) {
        if (out.length > size) throw new IllegalArgumentException(out.length + " bytes from " + size);
        pointer().read(0, out, 0, out.length);
    }

    /** Zeroes the bytes; they stay allocated until {@link #close()}. */
    void wipe() {
        pointer().setMemory(0, size, (byte) 0);
    }

    /** Whether every byte is zero. */
    boolean wiped() {
        for (byte b : pointer().getByteArray(0, (int) size)) {
            if (b != 0) return false;
        }
        return true;
    }

    /** Zeroes, then frees; a second call does nothing. */
    @Override
    public void close() {
        if (peer == 0) return;
        wipe();
        Native.free(peer);
        peer = 0;
    }
}
