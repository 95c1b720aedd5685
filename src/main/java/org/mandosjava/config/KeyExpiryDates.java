package org.mandosjava.config;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * The {@code key_expires} value of clients.conf: an RFC 3339 full-date ({@code 2027-06-30}, which
 * means the start of that day in UTC, as GnuPG's date-only expiry does) or date-time with an offset
 * ({@code 2027-06-30T12:00:00Z}, {@code 2027-06-30 14:00:00+02:00}).
 */
public final class KeyExpiryDates {
    /** The clients.conf key: when the client's OpenPGP key expires; empty or absent means never. */
    public static final String KEY = "key_expires";

    private KeyExpiryDates() {}

    /** @throws IllegalArgumentException with the problem, for {@code file:line: key_expires: problem} */
    public static Instant parse(String text) {
        String value = text.strip().toUpperCase(Locale.ROOT);
        try {
            if (value.length() == 10) return LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
            if (value.length() > 10 && value.charAt(10) == ' ') value = value.substring(0, 10) + 'T' + value.substring(11);
            return OffsetDateTime.parse(value, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not an RFC 3339 date or date-time with offset"
                    + " (e.g. 2027-06-30 or 2027-06-30T00:00:00Z): \"" + text.strip() + "\"");
        }
    }

    /** As clients.conf and our tools write it: UTC, seconds, {@code Z}. */
    public static String format(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    }
}
