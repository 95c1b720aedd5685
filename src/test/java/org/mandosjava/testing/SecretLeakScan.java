package org.mandosjava.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Looks for every secret the test suite configured in every log, audit file and test report it
 * left (see {@link SecretLedger}): the whole secret, and any part of it of {@value #WINDOW} bytes or
 * more, raw, in hex (either case) or in base64 at any alignment. Run by {@code bin/run-tests} after
 * the suite; exits 1 and names file, line and secret when something leaked, 2 when there was
 * nothing to scan (a scan of nothing proves nothing).
 */
public final class SecretLeakScan {
    /** Shorter parts occur by chance: an OpenPGP message starts with the same few bytes as any other. */
    static final int WINDOW = 16;
    /** Base64 characters for a window at a 4-character boundary: 18 bytes. */
    static final int BASE64_WINDOW = 24;
    /** A shorter password ("pw", "secret") is an ordinary word of a log line, not a sign of a leak. */
    static final int SHORTEST_WHOLE = 8;

    /** One kind of secret and where it must not appear. */
    record Finding(Path file, int line, String secret, String form) {
        @Override
        public String toString() {
            return file + ":" + line + ": part of " + secret.substring(0, Math.min(secret.length(), 20)) + "… (" + form + ")";
        }
    }

    private final Set<String> raw = new HashSet<>();
    private final Set<String> hex = new HashSet<>();
    private final Set<String> base64 = new HashSet<>();
    /** Secrets shorter than a window, looked for whole. */
    private final List<String> whole = new ArrayList<>();
    private final java.util.Map<String, String> owner = new java.util.HashMap<>();

    /** Adds a secret to look for. */
    void add(byte[] secret, String name) {
        if (secret.length < WINDOW) {
            String text = new String(secret, StandardCharsets.ISO_8859_1);
            if (secret.length >= SHORTEST_WHOLE && !text.isBlank()) {
                whole.add(text);
                owner.put(text, name);
            }
            return;
        }
        for (int i = 0; i + WINDOW <= secret.length; i++) {
            String window = new String(secret, i, WINDOW, StandardCharsets.ISO_8859_1);
            put(raw, window, name);
            put(hex, HexFormat.of().formatHex(secret, i, i + WINDOW), name);
        }
        for (int align = 0; align < 3; align++) {
            String encoded = Base64.getEncoder().encodeToString(java.util.Arrays.copyOfRange(secret, align, secret.length));
            // The last group may carry padding; only whole groups are a fixed encoding of the bytes.
            int groups = (secret.length - align) / 3 * 4;
            for (int i = 0; i + BASE64_WINDOW <= groups; i += 4) put(base64, encoded.substring(i, i + BASE64_WINDOW), name);
        }
    }

    private void put(Set<String> set, String key, String name) {
        set.add(key);
        owner.putIfAbsent(key, name);
    }

    /** Every place in {@code file} where a secret appears. */
    List<Finding> scan(Path file) throws IOException {
        List<Finding> found = new ArrayList<>();
        String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        String lower = text.toLowerCase(Locale.ROOT);
        int line = 1;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') line++;
            check(found, file, line, text, i, WINDOW, raw, "raw");
            check(found, file, line, lower, i, 2 * WINDOW, hex, "hex");
            check(found, file, line, text, i, BASE64_WINDOW, base64, "base64");
        }
        for (String secret : whole) {
            for (int at = text.indexOf(secret); at >= 0; at = text.indexOf(secret, at + 1)) {
                found.add(new Finding(file, lineAt(text, at), owner.get(secret), "whole"));
            }
        }
        return found;
    }

    private void check(List<Finding> found, Path file, int line, String text, int at, int length, Set<String> set,
            String form) {
        if (at + length > text.length()) return;
        String candidate = text.substring(at, at + length);
        if (set.contains(candidate)) found.add(new Finding(file, line, owner.get(candidate), form));
    }

    private static int lineAt(String text, int at) {
        int line = 1;
        for (int i = 0; i < at; i++) if (text.charAt(i) == '\n') line++;
        return line;
    }

    /** Arguments: the ledger directory (target/secret-scan), then report directories to scan for blobs too. */
    public static void main(String[] args) throws IOException {
        Path root = Path.of(args.length > 0 ? args[0] : SecretLedger.ROOT.toString());
        List<Path> reportDirs = Stream.of(args).skip(1).map(Path::of).filter(Files::isDirectory).toList();
        SecretLeakScan blobs = new SecretLeakScan();
        SecretLeakScan passwords = new SecretLeakScan();
        int blobCount = load(root.resolve(SecretLedger.BLOBS), blobs, "blob ");
        int passwordCount = load(root.resolve(SecretLedger.PASSWORDS), passwords, "password ");
        List<Path> everything = new ArrayList<>(files(root.resolve(SecretLedger.ALL)));
        List<Path> ours = files(root.resolve(SecretLedger.OURS));
        everything.addAll(ours);
        for (Path dir : reportDirs) everything.addAll(files(dir));
        if (blobCount == 0 || ours.isEmpty()) {
            System.err.printf("secret scan: nothing to scan (%d secrets, %d logs of our server) in %s%n",
                    blobCount, ours.size(), root);
            System.exit(2);
        }
        List<Finding> leaks = new ArrayList<>();
        long bytes = 0;
        for (Path file : everything) {
            bytes += Files.size(file);
            leaks.addAll(blobs.scan(file));
        }
        for (Path file : ours) leaks.addAll(passwords.scan(file));
        System.out.printf("secret scan: %d configured secrets in %d files (%,d bytes), %d passwords in %d logs and"
                + " audit files of our server: %s%n", blobCount, everything.size(), bytes, passwordCount, ours.size(),
                leaks.isEmpty() ? "none found" : leaks.size() + " found");
        leaks.stream().limit(50).forEach(System.out::println);
        System.exit(leaks.isEmpty() ? 0 : 1);
    }

    private static int load(Path dir, SecretLeakScan into, String prefix) throws IOException {
        int count = 0;
        for (Path file : files(dir)) {
            into.add(Files.readAllBytes(file), prefix + file.getFileName());
            count++;
        }
        return count;
    }

    private static List<Path> files(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        }
    }
}
