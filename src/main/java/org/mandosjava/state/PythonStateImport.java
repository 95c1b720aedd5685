package org.mandosjava.state;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.Unpickler;
import net.razorvine.pickle.objects.TimeDelta;

/**
 * Reads the {@code clients.pickle} a Python Mandos 1.8.x server leaves in its state directory
 * (spec §8): pickle protocol 2 of {@code (clients, client_settings)}, so that an administrator who
 * switches servers keeps which clients are disabled, their checker history and runtime settings.
 * <p>
 * {@code client_settings} (the Python server's parsed clients.conf, typed) becomes
 * {@link SavedState#configAtSave()} in the text form {@code ClientConfig.options()} uses: durations
 * as {@code PT<seconds>S}, booleans as {@code True}/{@code False}, {@code checker_command} as
 * {@code checker}. Its {@code secret} (which 1.8.16 leaves in clear for clients removed at
 * runtime) is never carried over, nor its placeholder {@code last_*} entries.
 * <p>
 * Datetimes are naive UTC ({@code datetime.utcnow()}); razorvine's own {@code datetime}
 * constructor makes a {@code Calendar} in the JVM's zone with milliseconds only, so a constructor
 * reading the exact naive value is registered instead (razorvine registers constructors
 * process-wide; nothing else in this program unpickles). {@code timedelta} uses razorvine's
 * {@link TimeDelta}.
 */
public final class PythonStateImport {
    /** The Python server's file name in its state directory. */
    public static final String FILE_NAME = "clients.pickle";
    /** Larger than any real state (about 1 KiB per client); guards against reading a wrong file. */
    private static final long MAX_PICKLE_BYTES = 256L * 1024 * 1024;
    private static final int DATETIME_STATE_BYTES = 10;

    /** client_settings keys that are no clients.conf options. */
    private static final Set<String> NOT_OPTIONS = Set.of("secret", "last_approval_request",
            "last_checked_ok", "last_checker_status");

    static {
        Unpickler.registerConstructor("datetime", "datetime", new NaiveDateTime());
    }

    private PythonStateImport() {}

    /**
     * Reads a Python server's state.
     *
     * @param configSecretByName the clients.conf secret of each client of the new configuration
     *     (null if not configured), used to decrypt {@code encrypted_secret}
     * @return the state, with warnings (e.g. a runtime secret that cannot be decrypted)
     * @throws StateCorruptException when the file is not a Mandos state pickle
     */
    public static StateStore.LoadedState read(Path clientsPickle, Function<String, byte[]> configSecretByName)
            throws IOException {
        if (Files.size(clientsPickle) > MAX_PICKLE_BYTES) {
            throw new StateCorruptException(clientsPickle, "too large for a Mandos state file");
        }
        byte[] bytes = Files.readAllBytes(clientsPickle);
        Object top;
        try {
            top = new Unpickler().loads(bytes);
        } catch (IOException | PickleException | ClassCastException | IllegalArgumentException
                | java.time.DateTimeException e) {
            throw new StateCorruptException("cannot read " + clientsPickle + " as a pickle: " + e.getMessage(),
                    clientsPickle, e);
        }
        try {
            return convert(top, clientsPickle, configSecretByName);
        } catch (ClassCastException | IllegalArgumentException | NullPointerException e) {
            throw new StateCorruptException(clientsPickle + ": not a Mandos state (" + e.getMessage() + ")",
                    clientsPickle, e);
        }
    }

    private static StateStore.LoadedState convert(Object top, Path file, Function<String, byte[]> configSecretByName)
            throws StateCorruptException {
        if (!(top instanceof Object[] tuple) || tuple.length != 2
                || !(tuple[0] instanceof Map<?, ?> clientsData) || !(tuple[1] instanceof Map<?, ?> settings)) {
            throw new StateCorruptException(file, "not a (clients, client_settings) tuple");
        }
        List<String> warnings = new ArrayList<>();
        Map<String, Map<String, String>> config = new LinkedHashMap<>();
        for (var e : new TreeMap<>(stringKeys(settings)).entrySet()) {
            config.put(e.getKey(), options(stringKeys((Map<?, ?>) e.getValue())));
        }
        SecretCipher cipher = new SecretCipher();
        Map<String, ClientSnapshot> clients = new LinkedHashMap<>();
        for (var e : new TreeMap<>(stringKeys(clientsData)).entrySet()) {
            String name = e.getKey();
            Map<String, Object> c = stringKeys((Map<?, ?>) e.getValue());
            byte[] runtimeSecret = runtimeSecret(name, c.get("encrypted_secret"), configSecretByName, cipher,
                    warnings);
            Object signal = c.get("last_checker_signal");
            clients.put(name, new ClientSnapshot(name, bool(c, "enabled"), instant(c.get("created")),
                    instant(c.get("last_enabled")), instant(c.get("expires")), instant(c.get("last_checked_ok")),
                    instant(c.get("last_approval_request")), ((Number) c.get("last_checker_status")).intValue(),
                    signal == null ? null : ((Number) signal).intValue(),
                    duration(c, "timeout"), duration(c, "extended_timeout"), duration(c, "interval"),
                    duration(c, "approval_delay"), duration(c, "approval_duration"),
                    bool(c, "approved_by_default"), string(c, "checker_command"), string(c, "host"),
                    runtimeSecret));
        }
        Instant savedAt;
        try {
            savedAt = Files.getLastModifiedTime(file).toInstant();
        } catch (IOException ex) {
            savedAt = Instant.EPOCH;
        }
        return new StateStore.LoadedState(new SavedState(config, clients, savedAt), file, warnings);
    }

    private static byte[] runtimeSecret(String name, Object encrypted, Function<String, byte[]> configSecretByName,
            SecretCipher cipher, List<String> warnings) {
        byte[] configSecret = configSecretByName.apply(name);
        if (encrypted == null || configSecret == null) return null;
        try {
            byte[] secret = cipher.decrypt(bytes(encrypted), configSecret);
            return MessageDigest.isEqual(secret, configSecret) ? null : secret;
        } catch (SecretCipher.DecryptionException ex) {
            warnings.add("secret of client " + name + " saved by the Python server cannot be decrypted with its "
                    + "clients.conf secret (was that secret changed?); the clients.conf secret applies");
            return null;
        }
    }

    /** client_settings of one client as clients.conf option text. */
    private static Map<String, String> options(Map<String, Object> settings) {
        Map<String, String> out = new TreeMap<>();
        settings.forEach((key, value) -> {
            if (NOT_OPTIONS.contains(key)) return;
            out.put(key.equals("checker_command") ? "checker" : key, optionText(value));
        });
        return out;
    }

    private static String optionText(Object value) {
        if (value instanceof TimeDelta d) {
            Duration duration = duration(d);
            // Durations.parse reads whole seconds only; clients.conf durations are whole seconds.
            return duration.getNano() == 0 ? "PT" + duration.getSeconds() + "S" : duration.toString();
        }
        if (value instanceof Boolean b) return b ? "True" : "False";
        if (value instanceof byte[] b) return new String(b, StandardCharsets.UTF_8);
        return String.valueOf(value);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> stringKeys(Map<?, ?> map) {
        Map<String, Object> out = new LinkedHashMap<>();
        map.forEach((k, v) -> out.put(k instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : (String) k, v));
        return out;
    }

    private static boolean bool(Map<String, Object> c, String key) {
        Object v = c.get(key);
        if (!(v instanceof Boolean b)) throw new IllegalArgumentException(key + " is not a bool");
        return b;
    }

    private static String string(Map<String, Object> c, String key) {
        Object v = c.get(key);
        if (v instanceof byte[] b) return new String(b, StandardCharsets.UTF_8);
        if (!(v instanceof String s)) throw new IllegalArgumentException(key + " is not a str");
        return s;
    }

    private static Duration duration(Map<String, Object> c, String key) {
        if (!(c.get(key) instanceof TimeDelta d)) throw new IllegalArgumentException(key + " is not a timedelta");
        return duration(d);
    }

    private static Duration duration(TimeDelta d) {
        return Duration.ofDays(d.days).plusSeconds(d.seconds).plusNanos(d.microseconds * 1000L);
    }

    private static Instant instant(Object v) {
        if (v == null) return null;
        if (!(v instanceof LocalDateTime t)) throw new IllegalArgumentException("not a datetime: " + v.getClass());
        return t.toInstant(ZoneOffset.UTC);
    }

    private static byte[] bytes(Object v) {
        if (v instanceof byte[] b) return b;
        if (v instanceof String s) return s.getBytes(StandardCharsets.ISO_8859_1);
        throw new IllegalArgumentException("not bytes: " + v.getClass());
    }

    /**
     * {@code datetime.datetime} as pickled by {@code __reduce__}: a 10-byte state (year high, year
     * low, month with the fold bit, day, hour, minute, second, 3 bytes of microseconds), as bytes
     * or, for protocol 2, a latin-1 str; plus an optional tzinfo, which a naive UTC time lacks.
     */
    private static final class NaiveDateTime implements IObjectConstructor {
        @Override
        public Object construct(Object[] args) {
            if (args.length == 2 && args[1] != null) {
                throw new PickleException("datetime with a time zone: Mandos writes naive UTC times");
            }
            if (args.length < 1 || args.length > 2) throw new PickleException("unexpected datetime arguments");
            byte[] s = bytes(args[0]);
            if (s.length != DATETIME_STATE_BYTES) throw new PickleException("bad datetime state");
            int year = (s[0] & 0xff) << 8 | (s[1] & 0xff);
            int month = s[2] & 0x7f;  // the high bit is PEP 495's fold, irrelevant in UTC
            int micros = (s[7] & 0xff) << 16 | (s[8] & 0xff) << 8 | (s[9] & 0xff);
            return LocalDateTime.of(year, month, s[3], s[4], s[5], s[6], micros * 1000);
        }
    }
}
