package org.mandosjava.platform;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;

/**
 * Secret bytes in C memory for the length of one native call, zeroed before the memory is freed.
 * JNA passes a Java array to C as a copy it frees without zeroing, which would leave key material
 * in the C heap for malloc's next caller to find; secrets go to C through this instead.
 *
 * <p>Not thread-safe: one call's argument.
 */
final class NativeSecret implements AutoCloseable {
    private final Memory memory;

    /** Room for {@code size} bytes, zeroed (for a secret result). */
    NativeSecret(int size) {
        memory = new Memory(size);
        memory.clear();
    }

    /** A copy of {@code value}. */
    NativeSecret(byte[] value) {
        this(value.length);
        memory.write(0, value, 0, value.length);
    }

    Pointer pointer() {
        return memory;
    }

    /** Copies the bytes into {@code out}, which is as long as this. */
    void readInto(byte[] out) {
        memory.read(0, out, 0, out.length);
    }

    /** Zeroes the bytes; they stay allocated until {@link #close()}. */
    void wipe() {
        memory.clear();
    }

    /** Whether every byte is zero. */
    boolean wiped() {
        for (byte b : memory.getByteArray(0, (int) memory.size())) {
            if (b != 0) return false;
        }
        return true;
    }

    /** Zeroes, then frees. */
    @Override
    public void close() {
        wipe();
        memory.close();
    }
}
