package org.mandosjava.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * Writes a benchmark configuration directory: an empty {@code mandos.conf} and a {@code clients.conf}
 * whose sections look like mandos-keygen's (key_id, a 40-hex fingerprint — required by Python 1.8.16 —
 * and a multi-line base64 secret of realistic size).
 */
final class ClientsConfWriter {
    /** Line length of the base64 continuation lines, as mandos-keygen writes them. */
    private static final int BASE64_LINE = 76;

    private final java.util.Map<String, String> defaults = new java.util.LinkedHashMap<>();

    /**
     * Checkers and expiry are pushed a day away by default: scenarios 1, 2, 4 and 5 measure unlocks,
     * and the default checker (fping every 2 minutes per client) would make the Python server fork
     * dozens of processes a second with thousands of clients.
     */
    ClientsConfWriter() {
        defaults.put("interval", "P1D");
        defaults.put("timeout", "P1D");
        defaults.put("extended_timeout", "P1D");
        defaults.put("checker", "true");
    }

    /** Adds or overrides a {@code [DEFAULT]} option (value written verbatim). */
    ClientsConfWriter defaultOption(String key, String value) {
        defaults.put(key, value);
        return this;
    }

    /**
     * @param clients clients the load generator knows the keys of
     * @param fillers further sections with random key_ids (nobody can present them): config size
     *     without the cost of generating keys
     * @param extra text appended verbatim (e.g. a section printed by mandos-keygen)
     */
    Path write(Path dir, List<BenchClient> clients, int fillers, String extra, SecureRandom random)
            throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("mandos.conf"), "[DEFAULT]\n");
        Path file = dir.resolve("clients.conf");
        HexFormat hex = HexFormat.of();
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.US_ASCII)) {
            out.write("[DEFAULT]\n");
            for (var e : defaults.entrySet()) out.write(e.getKey() + " = " + e.getValue() + "\n");
            out.write('\n');
            for (BenchClient c : clients) {
                section(out, c.name(), c.keyId(), c.secret(), random, hex);
            }
            byte[] secret = new byte[BenchClient.SECRET_BYTES];
            byte[] keyId = new byte[32];
            for (int i = 0; i < fillers; i++) {
                random.nextBytes(secret);
                random.nextBytes(keyId);
                section(out, String.format("filler-%06d", i), hex.formatHex(keyId), secret, random, hex);
            }
            if (extra != null) out.write(extra);
        }
        return file;
    }

    /** One section as text, with extra per-client options (e.g. a probe exempt from approval). */
    static String sectionText(BenchClient c, java.util.Map<String, String> options, SecureRandom random)
            throws IOException {
        java.io.StringWriter text = new java.io.StringWriter();
        try (BufferedWriter out = new BufferedWriter(text)) {
            section(out, c.name(), c.keyId(), c.secret(), random, HexFormat.of());
        }
        StringBuilder withOptions = new StringBuilder(text.toString().stripTrailing()).append('\n');
        options.forEach((k, v) -> withOptions.append(k).append(" = ").append(v).append('\n'));
        return withOptions.append('\n').toString();
    }

    private static void section(BufferedWriter out, String name, String keyId, byte[] secret, SecureRandom random,
            HexFormat hex) throws IOException {
        byte[] fingerprint = new byte[20];
        random.nextBytes(fingerprint);
        out.write('[' + name + "]\n");
        out.write("key_id = " + keyId.toLowerCase(java.util.Locale.ROOT) + '\n');
        out.write("fingerprint = " + hex.formatHex(fingerprint).toUpperCase(java.util.Locale.ROOT) + '\n');
        out.write("secret =\n");
        String b64 = Base64.getEncoder().encodeToString(secret);
        for (int i = 0; i < b64.length(); i += BASE64_LINE) {
            out.write("        ");
            out.write(b64, i, Math.min(BASE64_LINE, b64.length() - i));
            out.write('\n');
        }
        out.write('\n');
    }
}
