package org.freedesktop.Avahi;

import org.freedesktop.dbus.exceptions.DBusExecutionException;

/**
 * avahi-daemon's {@code org.freedesktop.Avahi.CollisionError} reply. dbus-java keeps a D-Bus error's
 * name only by throwing the class that bears it, so this class must have exactly that name; without it
 * a collision would be indistinguishable from any other failure.
 */
public class CollisionError extends DBusExecutionException {
    public CollisionError(String message) {
        super(message);
    }
}
