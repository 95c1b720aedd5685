package org.mandosjava.platform;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;

/**
 * The glibc functions the program calls through JNA: the one binding to libc, registered once.
 * Going through glibc (not raw system calls) matters: glibc's set*id wrappers apply the change to
 * every thread of the process, and a JVM has many. {@code prctl} and {@code capset}, on the other
 * hand, act on the calling thread only.
 *
 * <p>Direct mapping (static native methods bound by {@link Native#register}) rather than an
 * interface: an interface mapping is a dynamic proxy class generated at the first call, which a
 * fresh server builds on its way to the first unlock, and each of its calls goes through
 * reflection. Every function here must exist in the glibc the server runs on: they are bound when
 * this class initializes, not at their first call.
 */
public final class LibC {
    static {
        Native.register(LibC.class, NativeLibraries.libc());
    }

    public static final int O_RDONLY = 0;
    public static final int O_RDWR = 2;
    public static final int O_NOFOLLOW = 0x20000;
    public static final int O_DIRECTORY = 0x10000;
    public static final int O_CLOEXEC = 0x80000;
    public static final int O_NONBLOCK = 0x800;
    public static final int O_NOCTTY = 0x100;

    // Datagram Unix sockets (sd_notify, the journal, /dev/log), which the JDK does not offer.
    public static final int AF_UNIX = 1;
    public static final int SOCK_DGRAM = 2;
    public static final int SOCK_CLOEXEC = 0x80000;
    /** A full receiver makes sendto fail with EAGAIN instead of waiting. */
    public static final int MSG_DONTWAIT = 0x40;

    private LibC() {}

    public static native int getuid();

    public static native int geteuid();

    public static native int getgid();

    public static native int getegid();

    public static native int getgroups(int size, int[] list) throws LastErrorException;

    public static native int setgroups(NativeLong size, int[] list) throws LastErrorException;

    public static native int setgid(int gid) throws LastErrorException;

    public static native int setuid(int uid) throws LastErrorException;

    /**
     * Returns 0 or an errno value; {@code result} receives a null pointer when there is no such user.
     * {@code pwd} is a {@code struct passwd} ({@link Passwd}).
     */
    public static native int getpwnam_r(String name, Pointer pwd, Pointer buf, NativeLong buflen, Pointer result);

    /**
     * Returns 0 or an errno value; {@code result} receives a null pointer when there is no such group.
     * {@code grp} is a {@code struct group} ({@link Group}).
     */
    public static native int getgrnam_r(String name, Pointer grp, Pointer buf, NativeLong buflen, Pointer result);

    /** Returns -1 and sets errno on failure (read it with {@link Native#getLastError()}). */
    public static native int kill(int pid, int signal);

    /** With {@code act} null, only reads the disposition into {@code oldact} (a struct sigaction). */
    public static native int sigaction(int signal, Pointer act, Pointer oldact);

    /** Sets a disposition; {@code handler} null is SIG_DFL. */
    public static native Pointer signal(int signal, Pointer handler);

    public static native int open(String path, int flags);

    public static native int openat(int dirfd, String path, int flags) throws LastErrorException;

    public static native int close(int fd);

    public static native int dup2(int oldfd, int newfd);

    public static native int chdir(String path);

    public static native int fchown(int fd, int uid, int gid) throws LastErrorException;

    public static native int prctl(int option, NativeLong arg2, NativeLong arg3, NativeLong arg4, NativeLong arg5)
            throws LastErrorException;

    public static native int capget(Pointer header, Pointer data) throws LastErrorException;

    public static native int capset(Pointer header, Pointer data) throws LastErrorException;

    public static native int setrlimit(int resource, Pointer rlim) throws LastErrorException;

    public static native void openlog(Pointer ident, int option, int facility);

    /** Called with a fixed format, {@code "%s"}, and one string. */
    public static native void syslog(int priority, String format, String message);

    public static native int socket(int domain, int type, int protocol) throws LastErrorException;

    public static native int sendto(int fd, byte[] buf, NativeLong len, int flags, byte[] addr, int addrlen)
            throws LastErrorException;

    /** glibc 2.25 and later; {@code flags} 0 waits until the kernel's generator is seeded, once per boot. */
    public static native NativeLong getrandom(Pointer buf, NativeLong buflen, int flags) throws LastErrorException;

    /**
     * Where glibc's {@code struct passwd} keeps the fields the program reads, on Linux: pointers,
     * then {@code pw_uid} and {@code pw_gid} (32 bits each), then pointers again. Read from memory
     * by offset rather than through a JNA {@code Structure}, whose layout is worked out by
     * reflection on the first use.
     */
    static final class Passwd {
        private static final int P = Native.POINTER_SIZE;
        static final int SIZE = 5 * P + 8;
        static final int NAME = 0;
        static final int UID = 2 * P;
        static final int GID = 2 * P + 4;
        static final int DIR = 3 * P + 8;

        private Passwd() {}
    }

    /** {@code struct group}, as {@link Passwd}: two pointers, {@code gr_gid}, the member list. */
    static final class Group {
        private static final int P = Native.POINTER_SIZE;
        static final int SIZE = 4 * P;
        static final int NAME = 0;
        static final int GID = 2 * P;

        private Group() {}
    }
}
