package org.mandosjava.control;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** How values look on the bus (spec §7.3): durations as UInt64 milliseconds, timestamps as strings. */
final class DBusValues {
    private DBusValues() {}

    /**
     * UTC without zone, always with six fraction digits. The original omits {@code .000000} when the
     * microseconds are zero (Python's isoformat), and mandos-monitor, which parses {@code Expires}
     * with {@code "%Y-%m-%dT%H:%M:%S.%f"}, then fails (spec §15.3 item 17); mandos-ctl prints the
     * string as it is, so always writing the fraction only changes that one-in-a-million case.
     */
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS").withZone(ZoneOffset.UTC);

    static String timestamp(Instant instant) {
        return instant == null ? "" : TIMESTAMP.format(instant);
    }

    static long millis(Duration duration) {
        return duration.toMillis();
    }
}
