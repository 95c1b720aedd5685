package org.mandosjava.platform;

/**
 * The process-credential calls that dropping privileges needs, behind an interface so the drop
 * sequence can be tested without root. {@link NativePosix} is the real one.
 */
interface Posix {
    int getuid();

    int geteuid();

    int getgid();

    int getegid();

    /** Supplementary group ids of the calling process. */
    int[] getgroups() throws PosixException;

    void setgroups(int[] gids) throws PosixException;

    void setgid(int gid) throws PosixException;

    void setuid(int uid) throws PosixException;
}
