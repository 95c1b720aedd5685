package org.mandosjava.tools.keygen;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.mandosjava.openpgp.OpenPgpKeys;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Key expiry: the {@code --expire} value in GnuPG's batch {@code Expire-Date} syntax ({@code 0}
 * (never), a number of days, a number with unit {@code d}, {@code w}, {@code m} or {@code y}, or an
 * ISO date), and the expiry a public key carries, for the section's {@code key_expires}.
 */
final class KeyExpiry {
    private static final Pattern COUNT = Pattern.compile("(\\d{1,6})([dwmy]?)");

    private KeyExpiry() {}

    /**
     * When the key stops working for the server: the earlier expiry of the primary key and of the
     * key the password is encrypted to (GnuPG and our generator give both the same); empty if neither
     * expires. Works for keys made by GnuPG (the real mandos-keygen) as for ours.
     */
    static Optional<Instant> of(PGPPublicKeyRing keys) {
        Instant earliest = null;
        for (PGPPublicKey key : List.of(keys.getPublicKey(), OpenPgpKeys.encryptionKey(keys))) {
            long valid = key.getValidSeconds();
            if (valid <= 0) continue;
            Instant expires = key.getCreationTime().toInstant().plusSeconds(valid);
            if (earliest == null || expires.isBefore(earliest)) earliest = expires;
        }
        return Optional.ofNullable(earliest);
    }

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
