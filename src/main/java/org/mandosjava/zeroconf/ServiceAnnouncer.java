package org.mandosjava.zeroconf;

/**
 * A running DNS-SD announcement of the Mandos service. Closing it withdraws the announcement; closing
 * twice is harmless.
 */
public interface ServiceAnnouncer extends AutoCloseable {

    /** Which mechanism announces: the system's avahi-daemon, or our own mDNS responder. */
    ZeroconfSettings.Mode mode();

    /** The service name now announced; differs from the requested one after a collision rename. */
    String serviceName();

    @Override
    void close();
}
