package org.mandosjava.tools.client;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The command line of mandos-client 1.8.16, as far as it makes sense outside an initrd. */
@Command(name = "mandos-client", sortOptions = false, usageHelpAutoWidth = true,
        description = "Fetch the password from a Mandos server and write it to standard output. Without --connect,"
                + " find servers by Zeroconf (_mandos._tcp), try each as it is found and retry those that gave nothing.")
final class ClientOptions {
    static final String VERSION_LINE = "Mandos plugin mandos-client: mandos-client 1.8.16";
    /** Where the initrd keeps the keys; outside one, the key directory mandos-keygen uses. */
    static final Path INITRD_KEY_DIR = Path.of("/conf/conf.d/mandos");
    static final double DEFAULT_RETRY_SECONDS = 10;
    static final double DEFAULT_DELAY_SECONDS = 2.5;

    @Option(names = {"-c", "--connect"}, paramLabel = "ADDRESS:PORT",
            description = "Connect directly to a specified Mandos server (default: find servers by Zeroconf)")
    String connect;

    @Option(names = {"-i", "--interface"}, paramLabel = "INTERFACE", split = ",",
            description = "Network interface(s) to browse for servers on (default: all that are up, multicast-capable,"
                    + " not loopback or point-to-point); with exactly one, it also scopes a link-local --connect address")
    List<String> interfaces = new ArrayList<>();

    /** Accepted as the real client accepts it; decryption needs only the secret key. */
    @Option(names = {"-p", "--pubkey"}, paramLabel = "FILE", description = "OpenPGP public key file name")
    Path pubkey;

    @Option(names = {"-s", "--seckey"}, paramLabel = "FILE", description = "OpenPGP secret key file name")
    Path seckey;

    @Option(names = {"-T", "--tls-pubkey"}, paramLabel = "FILE", description = "TLS public key file name")
    Path tlsPubkey;

    @Option(names = {"-t", "--tls-privkey"}, paramLabel = "FILE", description = "TLS private key file name")
    Path tlsPrivkey;

    @Option(names = "--priority", paramLabel = "STRING",
            description = "GnuTLS priority string (default: that of mandos-client 1.8.16)")
    String priority;

    @Option(names = "--dh-bits", paramLabel = "BITS", description = "Ignored (only matters for TLS <= 1.2)")
    Integer dhBits;

    @Option(names = "--dh-params", paramLabel = "FILE", description = "Ignored (only matters for TLS <= 1.2)")
    Path dhParams;

    @Option(names = "--delay", paramLabel = "SECONDS",
            description = "Maximum delay to wait for interface startup (accepted; interfaces are not managed)")
    double delay = DEFAULT_DELAY_SECONDS;

    @Option(names = "--retry", paramLabel = "SECONDS", description = "Seconds between attempts at each server (default 10)")
    double retry = DEFAULT_RETRY_SECONDS;

    @Option(names = "--network-hook-dir", paramLabel = "DIR", description = "Ignored (no network hooks are run)")
    Path networkHookDir;

    @Option(names = "--debug", description = "Debug mode: report each failed attempt on stderr")
    boolean debug;

    @Option(names = {"-?", "--help"}, description = "Give this help list")
    boolean help;

    @Option(names = "--usage", description = "Give a short usage message")
    boolean usage;

    @Option(names = {"-V", "--version"}, description = "Print program version")
    boolean version;

    /** The directory the key file defaults are in. */
    static Path defaultKeyDir() {
        if (Files.isDirectory(INITRD_KEY_DIR)) return INITRD_KEY_DIR;
        return org.mandosjava.keys.KeyDirectory.systemDefault().dir();
    }

    Path seckeyOrDefault() {
        return seckey != null ? seckey : defaultKeyDir().resolve("seckey.txt");
    }

    Path tlsPubkeyOrDefault() {
        return tlsPubkey != null ? tlsPubkey : defaultKeyDir().resolve("tls-pubkey.pem");
    }

    Path tlsPrivkeyOrDefault() {
        return tlsPrivkey != null ? tlsPrivkey : defaultKeyDir().resolve("tls-privkey.pem");
    }
}
