package org.mandosjava.platform;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.ptr.PointerByReference;

/**
 * The glibc functions the program calls through JNA: the one binding to libc, loaded once. Going
 * through glibc (not raw system calls) matters: glibc's set*id wrappers apply the change to every
 * thread of the process, and a JVM has many. {@code prctl} and {@code capset}, on the other hand,
 * act on the calling thread only.
 */
public interface LibC extends Library {
    LibC INSTANCE = LibcLoader.load(LibC.class);

    int O_RDONLY = 0;
    int O_RDWR = 2;
    int O_NOFOLLOW = 0x20000;
    int O_DIRECTORY = 0x10000;
    int O_CLOEXEC = 0x80000;
    int O_NONBLOCK = 0x800;
    int O_NOCTTY = 0x100;

    int getuid();

    int geteuid();

    int getgid();

    int getegid();

    int getgroups(int size, int[] list) throws LastErrorException;

    int setgroups(NativeLong size, int[] list) throws LastErrorException;

    int setgid(int gid) throws LastErrorException;

    int setuid(int uid) throws LastErrorException;

    /** Returns 0 or an errno value; {@code result} is null when there is no such user. */
    int getpwnam_r(String name, Passwd pwd, Pointer buf, NativeLong buflen, PointerByReference result);

    /** Returns 0 or an errno value; {@code result} is null when there is no such group. */
    int getgrnam_r(String name, Group grp, Pointer buf, NativeLong buflen, PointerByReference result);

    /** Returns -1 and sets errno on failure (read it with {@link Native#getLastError()}). */
    int kill(int pid, int signal);

    /** With {@code act} null, only reads the disposition into {@code oldact} (a struct sigaction). */
    int sigaction(int signal, Pointer act, Pointer oldact);

    /** Sets a disposition; {@code handler} null is SIG_DFL. */
    Pointer signal(int signal, Pointer handler);

    int open(String path, int flags);

    int openat(int dirfd, String path, int flags) throws LastErrorException;

    int close(int fd);

    int dup2(int oldfd, int newfd);

    int chdir(String path);

    int fchown(int fd, int uid, int gid) throws LastErrorException;

    int fstat(int fd, Pointer statbuf) throws LastErrorException;

    int prctl(int option, NativeLong arg2, NativeLong arg3, NativeLong arg4, NativeLong arg5)
            throws LastErrorException;

    int capget(Pointer header, Pointer data) throws LastErrorException;

    int capset(Pointer header, Pointer data) throws LastErrorException;

    int setrlimit(int resource, Pointer rlim) throws LastErrorException;

    int getrlimit(int resource, Pointer rlim) throws LastErrorException;

    /** The calling thread's kernel id (the name under /proc/self/task). */
    int gettid();

    void openlog(Pointer ident, int option, int facility);

    void syslog(int priority, String format, String message);

    /** {@code struct passwd} (glibc, Linux). */
    @Structure.FieldOrder({"pw_name", "pw_passwd", "pw_uid", "pw_gid", "pw_gecos", "pw_dir", "pw_shell"})
    final class Passwd extends Structure {
        public String pw_name;
        public String pw_passwd;
        public int pw_uid;
        public int pw_gid;
        public String pw_gecos;
        public String pw_dir;
        public String pw_shell;
    }

    /** {@code struct group} (glibc, Linux). */
    @Structure.FieldOrder({"gr_name", "gr_passwd", "gr_gid", "gr_mem"})
    final class Group extends Structure {
        public String gr_name;
        public String gr_passwd;
        public int gr_gid;
        public Pointer gr_mem;
    }

    // Datagram Unix sockets (sd_notify, the journal, /dev/log), which the JDK does not offer.
    int AF_UNIX = 1;
    int SOCK_DGRAM = 2;
    int SOCK_CLOEXEC = 0x80000;
    /** A full receiver makes sendto fail with EAGAIN instead of waiting. */
    int MSG_DONTWAIT = 0x40;

    int socket(int domain, int type, int protocol) throws LastErrorException;
    // sendto is mapped directly, in UnixDatagram: it runs on every release.
}
