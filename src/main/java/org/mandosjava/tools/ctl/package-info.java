/**
 * {@code mandos-ctl} (spec §10): the command line, output formats and exit statuses of the Debian
 * tool, talking to the server through {@code org.mandosjava.control.BusConnection}.
 */
package org.mandosjava.tools.ctl;
