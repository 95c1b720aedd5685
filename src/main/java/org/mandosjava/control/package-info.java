/**
 * The Mandos D-Bus control API (spec §7): {@link org.mandosjava.control.MandosDBus} exports the
 * server object {@code /} and one object per client on the system bus, under the current and the
 * deprecated bus and interface names, turning the registry's events into signals and method calls
 * into registry calls through tables of members ({@link org.mandosjava.control.MemberTable}) that
 * a unit test holds to the introspection data. It works at the message level on dbus-java's transport
 * ({@link org.mandosjava.control.BusConnection}) rather than through dbus-java's annotation-based
 * export, which cannot give one object two interface names with identical members, write its own
 * introspection annotations, use the original's error names or accept dbus-python's integer types.
 */
package org.mandosjava.control;
