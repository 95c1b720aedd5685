package org.mandosjava.platform;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

/** Where the program's JNA binding, {@link LibC}, gets glibc from. */
final class LibcLoader {
    static {
        // Unset, JNA computes its search path for libraries when it first loads one, and on Linux
        // that runs `ldconfig -p`: a process started at every server start, before the first unlock,
        // for paths libc never needs (dlopen finds it by its soname). Set, JNA skips it.
        if (System.getProperty("jna.platform.library.path") == null) {
            System.setProperty("jna.platform.library.path", "");
        }
    }

    private LibcLoader() {}

    /** libc, for {@link Native#register(Class, NativeLibrary)}. */
    static NativeLibrary library() {
        return NativeLibrary.getInstance("c");
    }
}
