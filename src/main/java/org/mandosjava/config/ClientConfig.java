package org.mandosjava.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * One client section of clients.conf, fully interpreted (start-time interpolation done, durations and
 * booleans parsed, secret decoded or read from its secfile).
 *
 * @param name the section name
 * @param keyId upper-case, spaces removed; "" when absent
 * @param fingerprint upper-case, spaces removed; "" when absent (valid: see spec §15.3 item 1)
 * @param secret the bytes sent to the client, verbatim; never logged. Taken over, not copied: a
 *     caller hands over an array it no longer uses (100,000 secrets copied once more would be
 *     120 MB more garbage while clients.conf is read). Copies go out, never this array.
 * @param checker the checker command after start-time expansion (runtime %(x)s still in it)
 * @param options every option of the section after interpolation, [DEFAULT] included, except
 *     {@code secret}; kept so that a restart can tell which settings clients.conf changed
 * @param file the file the section came from
 * @param line the line of the section header
 */
public record ClientConfig(
        String name,
        String keyId,
        String fingerprint,
        byte[] secret,
        String host,
        String checker,
        Duration timeout,
        Duration extendedTimeout,
        Duration interval,
        Duration approvalDelay,
        Duration approvalDuration,
        boolean approvedByDefault,
        boolean enabled,
        Map<String, String> options,
        Path file,
        int line) {

    public ClientConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(secret, "secret");
        // An OptionMap is immutable already, and its keys are shared with other clients.
        if (!(options instanceof OptionMap)) options = Map.copyOf(options);
    }

    @Override
    public byte[] secret() {
        return secret.clone();
    }

    /** Whether {@code candidate} is this client's secret; compares without copying it. */
    public boolean hasSecret(byte[] candidate) {
        return java.security.MessageDigest.isEqual(secret, candidate);
    }

    /** How long before {@link #keyExpires()} the server warns, unless {@code key_expiry_warning} says otherwise. */
    public static final Duration DEFAULT_KEY_EXPIRY_WARNING = Duration.ofDays(14);
    /** The clients.conf key for that warning time (a duration, as {@code timeout}). */
    public static final String KEY_EXPIRY_WARNING = "key_expiry_warning";

    /**
     * When the client's OpenPGP key expires ({@code key_expires}); empty if never. A wall-clock date,
     * unlike the timeouts: the server refuses the client from then on.
     *
     * @throws IllegalArgumentException if malformed (a section read by {@link ClientsConf} is valid)
     */
    public java.util.Optional<java.time.Instant> keyExpires() {
        String text = options.get(KeyExpiryDates.KEY);
        return text == null || text.isBlank() ? java.util.Optional.empty()
                : java.util.Optional.of(KeyExpiryDates.parse(text));
    }

    /** How long before {@link #keyExpires()} the server starts warning ({@code key_expiry_warning}). */
    public Duration keyExpiryWarning() {
        String text = options.get(KEY_EXPIRY_WARNING);
        return text == null || text.isBlank() ? DEFAULT_KEY_EXPIRY_WARNING : Durations.parse(text);
    }

    /** Never prints the secret, only its length. */
    @Override
    public String toString() {
        return "ClientConfig[name=" + name + ", keyId=" + keyId + ", host=" + host
                + ", secret=<" + secret.length + " bytes>, enabled=" + enabled + "]";
    }
}
