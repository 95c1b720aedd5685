package org.mandosjava.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;

/**
 * {@code mandos --demo}: a server a newcomer can fetch a password from in one minute. It serves the
 * demo client in {@code examples/demo} (keys made by the real mandos-keygen; they protect nothing)
 * on [::1]:{@value #PORT} in the foreground, and prints the command that fetches the password.
 */
final class Demo {
    static final int PORT = 19796;
    static final String PASSWORD = "Mandos demo password";
    private static final String MANDOS_CLIENT = "/usr/lib/x86_64-linux-gnu/mandos/plugins.d/mandos-client";

    private final Path keys;
    private final Path configCopy;

    private Demo(Path keys, Path configCopy) {
        this.keys = keys;
        this.configCopy = configCopy;
    }

    /** Copies the demo configuration to a private directory and points the options at it. */
    static Demo prepare(ServerOptions options) throws IOException {
        Path source = home().resolve("examples/demo");
        if (!Files.isRegularFile(source.resolve("clients.conf"))) {
            throw new IOException("no demo configuration in " + source);
        }
        // clients.conf holds secrets and git does not keep file modes: serve a private copy.
        Path dir = Files.createTempDirectory("mandos-demo-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        for (String name : new String[] {"mandos.conf", "clients.conf"}) {
            Path copy = dir.resolve(name);
            Files.copy(source.resolve(name), copy);
            Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rw-------"));
        }
        Path state = Files.createDirectories(home().resolve(".demo/state"));
        options.configDir = dir;
        options.stateDir = state;
        if (options.address == null) options.address = "::1";
        if (options.port == null) options.port = PORT;
        if (options.debugLevel == null && options.debug == null) options.debugLevel = "INFO";
        options.foreground = true;
        options.noDbus = true;
        options.noZeroconf = true;
        options.noRestore = true;
        return new Demo(source.resolve("keys"), dir);
    }

    void printInstructions(PrintStream out, int port) {
        out.println();
        out.println("Demo Mandos server listening on [::1]:" + port + " (Ctrl-C stops it).");
        out.println("Fetch the demo client's password with the real Debian mandos-client:");
        out.println();
        out.println("  " + MANDOS_CLIENT + " --interface=none --connect='[::1]:" + port + "' \\");
        out.println("      --pubkey=" + keys.resolve("pubkey.txt") + " --seckey=" + keys.resolve("seckey.txt")
                + " \\");
        out.println("      --tls-pubkey=" + keys.resolve("tls-pubkey.pem") + " --tls-privkey="
                + keys.resolve("tls-privkey.pem") + "; echo");
        out.println();
        out.println("It prints: " + PASSWORD);
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

    /** The configuration has been read; delete the private copy now, before privileges are dropped. */
    void removeConfigCopy() {
        try (Stream<Path> files = Files.walk(configCopy)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // A temporary directory; nothing worse than clutter.
        }
    }
}
