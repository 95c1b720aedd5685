package org.mandosjava.platform;

/** A group as {@code getgrnam(3)} reports it. */
public record GroupEntry(String name, int gid) {}
