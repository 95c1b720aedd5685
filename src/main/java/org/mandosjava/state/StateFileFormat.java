package org.mandosjava.state;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The state file's text format, version 1. UTF-8 lines, fields separated by TAB, with {@code \\},
 * {@code \t}, {@code \n}, {@code \r} escaped in every field:
 * <pre>
 * mandos-java-state  1
 * saved-at  2026-11-26T16:00:00Z
 * config  CLIENT  KEY  VALUE            (one line per clients.conf option at save time)
 * client  name=CLIENT  enabled=true  created=…  …  runtime-secret=BASE64   (absent field = null)
 * sha256  HEX                           (SHA-256 of every byte before this line)
 * </pre>
 * The checksum line comes last, so a file cut anywhere (a torn write) or altered anywhere is
 * detected. A runtime secret is only ever written as an OpenPGP message ({@link SecretCipher}).
 */
final class StateFileFormat {
    static final String MAGIC = "mandos-java-state";
    static final int VERSION = 1;
    private static final String CHECKSUM = "sha256";

    private StateFileFormat() {}

    /** What a file holds: the state (runtime secrets not set) and the encrypted secrets by name. */
    record Parsed(SavedState state, Map<String, byte[]> encryptedSecrets) {}

    /** Field names of a {@code client} line, in the order written. */
    private enum Field {
        NAME("name"), ENABLED("enabled"), CREATED("created"), LAST_ENABLED("last-enabled"),
        EXPIRES("expires"), LAST_CHECKED_OK("last-checked-ok"), LAST_APPROVAL_REQUEST("last-approval-request"),
        LAST_CHECKER_STATUS("last-checker-status"), LAST_CHECKER_SIGNAL("last-checker-signal"),
        TIMEOUT("timeout"), EXTENDED_TIMEOUT("extended-timeout"), INTERVAL("interval"),
        APPROVAL_DELAY("approval-delay"), APPROVAL_DURATION("approval-duration"),
        APPROVED_BY_DEFAULT("approved-by-default"), CHECKER("checker"), HOST("host"),
        RUNTIME_SECRET("runtime-secret"), APPROVED("approved"), APPROVED_UNTIL("approved-until"),
        KEY_EXPIRES("key-expires");

        final String key;

        Field(String key) {
            this.key = key;
        }

        static Field of(String key) {
            for (Field f : values()) if (f.key.equals(key)) return f;
            return null;
        }
    }

    /**
     * Encodes a state; {@code encryptSecret} turns (client name, clear runtime secret) into the
     * OpenPGP message to store.
     */
    static byte[] encode(SavedState state, BiFunction<String, byte[], byte[]> encryptSecret) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + 400 * state.clients().size());
        try {
            write(state, encryptSecret, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return out.toByteArray();
    }

    /**
     * Writes the encoding of a state a line at a time: with 100,000 clients the file is 80 MB, and
     * building it whole in memory took several copies of that.
     */
    static void write(SavedState state, BiFunction<String, byte[], byte[]> encryptSecret, OutputStream out)
            throws IOException {
        StateLineWriter lines = new StateLineWriter(out, newSha256());
        lines.field(MAGIC);
        lines.field(Integer.toString(VERSION));
        lines.endLine();
        lines.field("saved-at");
        lines.field(state.savedAt().toString());
        lines.endLine();
        for (var client : state.configAtSave().entrySet()) {
            for (var option : client.getValue().entrySet()) {
                lines.field("config");
                lines.field(client.getKey());
                lines.field(option.getKey());
                lines.field(option.getValue());
                lines.endLine();
            }
        }
        Base64.Encoder b64 = Base64.getEncoder();
        for (ClientSnapshot c : state.clients().values()) {
            lines.field("client");
            lines.field(Field.NAME.key, c.name());
            lines.field(Field.ENABLED.key, c.enabled());
            lines.field(Field.CREATED.key, c.created());
            lines.field(Field.LAST_ENABLED.key, c.lastEnabled());
            lines.field(Field.EXPIRES.key, c.expires());
            lines.field(Field.LAST_CHECKED_OK.key, c.lastCheckedOk());
            lines.field(Field.LAST_APPROVAL_REQUEST.key, c.lastApprovalRequest());
            lines.field(Field.LAST_CHECKER_STATUS.key, c.lastCheckerStatus());
            lines.field(Field.LAST_CHECKER_SIGNAL.key, c.lastCheckerSignal());
            lines.field(Field.TIMEOUT.key, c.timeout());
            lines.field(Field.EXTENDED_TIMEOUT.key, c.extendedTimeout());
            lines.field(Field.INTERVAL.key, c.interval());
            lines.field(Field.APPROVAL_DELAY.key, c.approvalDelay());
            lines.field(Field.APPROVAL_DURATION.key, c.approvalDuration());
            lines.field(Field.APPROVED_BY_DEFAULT.key, c.approvedByDefault());
            lines.field(Field.CHECKER.key, c.checker());
            lines.field(Field.HOST.key, c.host());
            if (c.approved() != null) lines.field(Field.APPROVED.key, c.approved().booleanValue());
            lines.field(Field.APPROVED_UNTIL.key, c.approvedUntil());
            lines.field(Field.KEY_EXPIRES.key, c.keyExpires());
            if (c.hasRuntimeSecret()) {
                lines.field(Field.RUNTIME_SECRET.key, b64.encodeToString(encryptSecret.apply(c.name(), c.runtimeSecret())));
            }
            lines.endLine();
        }
        String checksum = lines.finish();
        out.write((CHECKSUM + "\t" + checksum + "\n").getBytes(StandardCharsets.US_ASCII));
    }

    private static String unescape(String s, Path file, int lineNo) throws StateCorruptException {
        if (s.indexOf('\\') < 0) return s;
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch != '\\') {
                out.append(ch);
                continue;
            }
            if (++i == s.length()) throw corrupt(file, lineNo, "dangling escape");
            switch (s.charAt(i)) {
                case '\\' -> out.append('\\');
                case 't' -> out.append('\t');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                default -> throw corrupt(file, lineNo, "unknown escape");
            }
        }
        return out.toString();
    }

    /** Verifies the checksum and the format version, then parses. */
    static Parsed decode(byte[] bytes, Path file) throws StateCorruptException {
        if (bytes.length == 0) throw new StateCorruptException(file, "empty file");
        if (bytes[bytes.length - 1] != '\n') {
            throw new StateCorruptException(file, "truncated (no final newline; torn write?)");
        }
        int lastLineStart = lastIndexOf(bytes, bytes.length - 2) + 1;
        String lastLine = new String(bytes, lastLineStart, bytes.length - 1 - lastLineStart, StandardCharsets.US_ASCII);
        if (!lastLine.startsWith(CHECKSUM + "\t")) {
            throw new StateCorruptException(file, "truncated (checksum line missing; torn write?)");
        }
        String expected = HexFormat.of().formatHex(sha256(bytes, lastLineStart));
        if (!lastLine.substring(CHECKSUM.length() + 1).equals(expected)) {
            throw new StateCorruptException(file, "checksum mismatch (file damaged or altered)");
        }
        String body = new String(bytes, 0, lastLineStart, StandardCharsets.UTF_8);
        String[] lines = body.split("\n", -1);
        // The body ends with '\n', so the split's last element is "".
        if (lines.length < 3) throw new StateCorruptException(file, "no header");
        String[] header = lines[0].split("\t", -1);
        if (header.length != 2 || !header[0].equals(MAGIC)) {
            throw new StateCorruptException(file, "not a mandos-java state file");
        }
        if (!header[1].equals(Integer.toString(VERSION))) {
            throw new StateCorruptException(file, "unsupported format version " + header[1]
                    + " (this server reads version " + VERSION + ")");
        }
        Instant savedAt = null;
        Map<String, Map<String, String>> config = new LinkedHashMap<>();
        Map<String, ClientSnapshot> clients = new LinkedHashMap<>();
        Map<String, byte[]> secrets = new LinkedHashMap<>();
        for (int i = 1; i < lines.length - 1; i++) {
            int lineNo = i + 1;
            String[] raw = lines[i].split("\t", -1);
            String[] f = new String[raw.length];
            for (int k = 0; k < raw.length; k++) f[k] = unescape(raw[k], file, lineNo);
            switch (f[0]) {
                case "saved-at" -> {
                    if (f.length != 2) throw corrupt(file, lineNo, "bad saved-at line");
                    savedAt = instant(f[1], file, lineNo);
                }
                case "config" -> {
                    if (f.length != 4) throw corrupt(file, lineNo, "bad config line");
                    config.computeIfAbsent(f[1], k -> new LinkedHashMap<>()).put(f[2], f[3]);
                }
                case "client" -> {
                    ClientSnapshot c = client(f, file, lineNo, secrets);
                    if (clients.put(c.name(), c) != null) throw corrupt(file, lineNo, "duplicate client");
                }
                default -> throw corrupt(file, lineNo, "unknown record type");
            }
        }
        if (savedAt == null) throw new StateCorruptException(file, "saved-at missing");
        return new Parsed(new SavedState(config, clients, savedAt), secrets);
    }

    private static ClientSnapshot client(String[] f, Path file, int lineNo, Map<String, byte[]> secrets)
            throws StateCorruptException {
        Map<Field, String> v = new java.util.EnumMap<>(Field.class);
        for (int k = 1; k < f.length; k++) {
            int eq = f[k].indexOf('=');
            Field field = eq < 0 ? null : Field.of(f[k].substring(0, eq));
            if (field == null) throw corrupt(file, lineNo, "unknown client field");
            if (v.put(field, f[k].substring(eq + 1)) != null) throw corrupt(file, lineNo, "repeated client field");
        }
        for (Field required : List.of(Field.NAME, Field.ENABLED, Field.CREATED, Field.LAST_CHECKER_STATUS,
                Field.TIMEOUT, Field.EXTENDED_TIMEOUT, Field.INTERVAL, Field.APPROVAL_DELAY,
                Field.APPROVAL_DURATION, Field.APPROVED_BY_DEFAULT, Field.CHECKER, Field.HOST)) {
            if (!v.containsKey(required)) throw corrupt(file, lineNo, "client field " + required.key + " missing");
        }
        String name = v.get(Field.NAME);
        try {
            if (v.containsKey(Field.RUNTIME_SECRET)) {
                secrets.put(name, Base64.getDecoder().decode(v.get(Field.RUNTIME_SECRET)));
            }
            return new ClientSnapshot(name, bool(v.get(Field.ENABLED), file, lineNo),
                    instant(v.get(Field.CREATED), file, lineNo),
                    instant(v.get(Field.LAST_ENABLED), file, lineNo),
                    instant(v.get(Field.EXPIRES), file, lineNo),
                    instant(v.get(Field.LAST_CHECKED_OK), file, lineNo),
                    instant(v.get(Field.LAST_APPROVAL_REQUEST), file, lineNo),
                    Integer.parseInt(v.get(Field.LAST_CHECKER_STATUS)),
                    v.containsKey(Field.LAST_CHECKER_SIGNAL) ? Integer.valueOf(v.get(Field.LAST_CHECKER_SIGNAL)) : null,
                    Duration.parse(v.get(Field.TIMEOUT)), Duration.parse(v.get(Field.EXTENDED_TIMEOUT)),
                    Duration.parse(v.get(Field.INTERVAL)), Duration.parse(v.get(Field.APPROVAL_DELAY)),
                    Duration.parse(v.get(Field.APPROVAL_DURATION)),
                    bool(v.get(Field.APPROVED_BY_DEFAULT), file, lineNo),
                    v.get(Field.CHECKER), v.get(Field.HOST), null,
                    v.containsKey(Field.APPROVED) ? bool(v.get(Field.APPROVED), file, lineNo) : null,
                    instant(v.get(Field.APPROVED_UNTIL), file, lineNo),
                    instant(v.get(Field.KEY_EXPIRES), file, lineNo));
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw corrupt(file, lineNo, "bad value: " + e.getClass().getSimpleName());
        }
    }

    private static boolean bool(String s, Path file, int lineNo) throws StateCorruptException {
        return switch (s) {
            case "true" -> true;
            case "false" -> false;
            default -> throw corrupt(file, lineNo, "bad boolean");
        };
    }

    private static Instant instant(String s, Path file, int lineNo) throws StateCorruptException {
        if (s == null) return null;
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            throw corrupt(file, lineNo, "bad time");
        }
    }

    private static StateCorruptException corrupt(Path file, int lineNo, String problem) {
        return new StateCorruptException(file, "line " + lineNo + ": " + problem);
    }

    private static int lastIndexOf(byte[] bytes, int from) {
        for (int i = from; i >= 0; i--) if (bytes[i] == '\n') return i;
        return -1;
    }

    private static byte[] sha256(byte[] bytes, int length) {
        MessageDigest md = newSha256();
        md.update(bytes, 0, length);
        return md.digest();
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("SHA-256 is required of every JDK", e);
        }
    }
}
