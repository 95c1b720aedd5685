package org.mandosjava.platform;

/** A user account as {@code getpwnam(3)} reports it. */
public record UserEntry(String name, int uid, int gid, String home) {}
