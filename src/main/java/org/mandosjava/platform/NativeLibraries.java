package org.mandosjava.platform;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import java.util.function.BooleanSupplier;

/**
 * Where the program's JNA bindings, {@link LibC}, {@link Nettle} and {@link NettleAesGcm}, get their
 * libraries from.
 */
final class NativeLibraries {
    static {
        // Unset, JNA computes its search path for libraries when it first loads one, and on Linux
        // that runs `ldconfig -p`: a process started at every server start, before the first unlock,
        // for paths these libraries never need (dlopen finds them by their sonames). Set, JNA skips it.
        if (System.getProperty("jna.platform.library.path") == null) {
            System.setProperty("jna.platform.library.path", "");
        }
    }

    private NativeLibraries() {}

    /** libc, for {@link Native#register(Class, NativeLibrary)}. */
    static NativeLibrary libc() {
        return NativeLibrary.getInstance("c");
    }

    /**
     * nettle's public-key half, by its soname: the unversioned {@code libhogweed.so} exists only where
     * the development package is installed.
     */
    static NativeLibrary hogweed() {
        return NativeLibrary.getInstance("libhogweed.so.6");
    }

    /** nettle's symmetric half (AES-GCM), by its soname. */
    static NativeLibrary nettle() {
        return NativeLibrary.getInstance("libnettle.so.8");
    }

    /**
     * Whether {@code check} passes: false too where it cannot run, because a library or one of its
     * functions is missing (binding throws a {@link LinkageError}) or a call fails.
     */
    static boolean passes(BooleanSupplier check) {
        try {
            return check.getAsBoolean();
        } catch (LinkageError | RuntimeException e) {
            return false;
        }
    }
}
