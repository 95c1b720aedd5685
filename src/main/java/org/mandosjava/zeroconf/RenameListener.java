package org.mandosjava.zeroconf;

/**
 * Told when the announced service name had to change because another service on the link already uses
 * it, so the server can show its new name (the original puts it in its syslog prefix). Called on an
 * announcer thread; must not block.
 */
@FunctionalInterface
public interface RenameListener {
    RenameListener NONE = (oldName, newName) -> {};

    void renamed(String oldName, String newName);
}
