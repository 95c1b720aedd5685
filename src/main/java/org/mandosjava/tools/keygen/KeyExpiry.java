package org.mandosjava.tools.keygen;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code --expire} value in GnuPG's batch {@code Expire-Date} syntax: {@code 0} (never), a number
 * of days, a number with unit {@code d}, {@code w}, {@code m} or {@code y}, or an ISO date.
 */
final class KeyExpiry {
    private static final Pattern COUNT = Pattern.compile("(\\d{1,6})([dwmy]?)");

    private KeyExpiry() {}

    /** @return validity from {@code now}, {@link Duration#ZERO} meaning no expiry */
    static Duration parse(String text, long nowEpochSecond) {
        String value = text.trim().toLowerCase(java.util.Locale.ROOT);
        Matcher m = COUNT.matcher(value);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            long days = switch (m.group(2)) {
                case "w" -> n * 7;
                case "m" -> n * 30;
                case "y" -> n * 365;
                default -> n;
            };
            return Duration.ofDays(days);
        }
        try {
            long expires = LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toEpochSecond();
            if (expires <= nowEpochSecond) throw new IllegalArgumentException("expiry date is in the past: " + text);
            return Duration.ofSeconds(expires - nowEpochSecond);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("invalid key expiration: " + text);
        }
    }
}
