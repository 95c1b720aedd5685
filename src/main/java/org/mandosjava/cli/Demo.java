package org.mandosjava.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.mandosjava.keys.KeyDirectory;
import org.mandosjava.tools.keygen.KeygenMain;

/**
 * {@code mandos --demo}: a working round trip for a newcomer on one machine. On first use it makes a
 * client's keys and clients.conf entry with our mandos-keygen in a local directory ({@code .demo/}
 * in the project, or {@code $MANDOS_DEMO_DIR}); then it serves that client on [::1]:{@value #PORT}
 * in the foreground and prints the commands that fetch the password.
 */
final class Demo {
    static final int PORT = 19796;
    static final String PASSWORD = "Mandos demo password";
    static final String NAME = "demo";
    private static final Path REAL_CLIENT = Path.of("/usr/lib/x86_64-linux-gnu/mandos/plugins.d/mandos-client");

    private final Path dir;
    private final KeyDirectory keys;
    /** Looked up now: after privileges are dropped its directory may not be readable. */
    private final boolean realClientInstalled = Files.isExecutable(REAL_CLIENT);

    private Demo(Path dir) {
        this.dir = dir;
        this.keys = new KeyDirectory(dir.resolve("keys"));
    }

    /** Makes the demo client if it is not there yet and points the options at it. */
    static Demo prepare(ServerOptions options, PrintStream out) throws IOException {
        String override = System.getenv("MANDOS_DEMO_DIR");
        Demo demo = new Demo(override != null ? Path.of(override) : home().resolve(".demo"));
        demo.makeClientIfMissing(out);
        options.configDir = demo.dir.resolve("conf");
        options.stateDir = Files.createDirectories(demo.dir.resolve("state"));
        if (options.address == null) options.address = "::1";
        if (options.port == null) options.port = PORT;
        if (options.debugLevel == null && options.debug == null) options.debugLevel = "INFO";
        options.foreground = true;
        options.noDbus = true;
        options.noZeroconf = true;
        return demo;
    }

    private void makeClientIfMissing(PrintStream out) throws IOException {
        Path conf = dir.resolve("conf");
        if (Files.isRegularFile(conf.resolve("clients.conf")) && keys.hasKeyFiles()) return;
        out.println("First run: making a demo client's keys in " + keys.dir() + " (a few seconds)...");
        Files.createDirectories(dir);
        Files.createDirectories(conf, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        keygen("--dir", keys.dir().toString(), "--force", "--name", NAME);
        Path passfile = dir.resolve("password.tmp");
        KeyDirectory.writePrivately(passfile, PASSWORD.getBytes(StandardCharsets.UTF_8));
        String section;
        try {
            section = keygen("--dir", keys.dir().toString(), "--passfile", passfile.toString(), "--name", NAME,
                    "--no-ssh");
        } finally {
            Files.deleteIfExists(passfile);
        }
        KeyDirectory.writePrivately(conf.resolve("mandos.conf"), "[DEFAULT]\n".getBytes(StandardCharsets.UTF_8));
        String clients = "# Made by `mandos --demo` with mandos-keygen. Demo keys: never use them for real.\n"
                + "[DEFAULT]\nchecker = true\n\n" + section;
        KeyDirectory.writePrivately(conf.resolve("clients.conf"), clients.getBytes(StandardCharsets.UTF_8));
    }

    private static String keygen(String... args) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = KeygenMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        if (status != 0) throw new IOException("mandos-keygen failed: " + err.toString(StandardCharsets.UTF_8).strip());
        return out.toString(StandardCharsets.UTF_8);
    }

    void printInstructions(PrintStream out, int port) {
        String keyOptions = "--pubkey=" + keys.publicKey() + " --seckey=" + keys.secretKey() + " \\\n      --tls-pubkey="
                + keys.tlsPublicKey() + " --tls-privkey=" + keys.tlsPrivateKey();
        out.println();
        out.println("Demo Mandos server listening on [::1]:" + port + " (Ctrl-C stops it).");
        out.println("Fetch the demo client's password, in another terminal, with our client:");
        out.println();
        out.println("  " + home().resolve("bin/mandos-client") + " --connect='[::1]:" + port + "' \\");
        out.println("      " + keyOptions + "; echo");
        if (realClientInstalled) {
            out.println();
            out.println("or with the real Debian mandos-client:");
            out.println();
            out.println("  " + REAL_CLIENT + " --interface=none --connect='[::1]:" + port + "' \\");
            out.println("      " + keyOptions + "; echo");
        }
        out.println();
        out.println("Either prints: " + PASSWORD);
        out.println();
        out.flush();
    }

    /** The project directory: set by bin/.launcher, else derived from the jar's location. */
    static Path home() {
        String property = System.getProperty("mandos.home");
        if (property != null) return Path.of(property);
        try {
            Path jar = Path.of(Demo.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return jar.getParent().getParent();
        } catch (java.net.URISyntaxException e) {
            return Path.of(".");
        }
    }
}
