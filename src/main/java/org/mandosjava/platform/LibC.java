package org.mandosjava.platform;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.ptr.PointerByReference;

/**
 * The glibc functions we call through JNA. Going through glibc (not raw system calls) matters:
 * glibc's set*id wrappers apply the change to every thread of the process, and a JVM has many.
 */
interface LibC extends Library {
    LibC INSTANCE = Native.load("c", LibC.class);

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

    int socket(int domain, int type, int protocol) throws LastErrorException;

    int sendto(int fd, byte[] buf, NativeLong len, int flags, byte[] addr, int addrlen) throws LastErrorException;

    int close(int fd);
}
