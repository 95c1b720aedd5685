package org.mandosjava.tools.keygen;

import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The command line of mandos-keygen 1.8.16, plus {@code --test} and {@code --secfile}. */
@Command(name = "mandos-keygen", sortOptions = false, usageHelpAutoWidth = true,
        description = {
            "Create new keys for a Mandos client (key creation), or print a clients.conf section with",
            "a password encrypted to the keys in the key directory (with --password or --passfile)."
        })
final class KeygenOptions {
    static final String VERSION = "1.8.16";

    @Option(names = {"-v", "--version"}, description = "Show program's version number and exit")
    boolean version;

    @Option(names = {"-h", "--help"}, description = "Show this help message and exit")
    boolean help;

    @Option(names = {"-d", "--dir"}, paramLabel = "DIR",
            description = "Target directory for key files.  Default is /etc/keys/mandos"
                    + " (/etc/mandos/keys if that does not exist).")
    Path dir;

    @Option(names = {"-t", "--type"}, paramLabel = "TYPE", description = "OpenPGP key type.  Default is RSA.")
    String type = "RSA";

    @Option(names = {"-l", "--length"}, paramLabel = "BITS",
            description = "OpenPGP key length in bits.  Default is 4096.")
    int length = 4096;

    @Option(names = {"-s", "--subtype"}, paramLabel = "TYPE", description = "OpenPGP subkey type.  Default is RSA.")
    String subtype = "RSA";

    @Option(names = {"-L", "--sublength"}, paramLabel = "BITS",
            description = "OpenPGP subkey length in bits.  Default 4096.")
    int sublength = 4096;

    @Option(names = {"-n", "--name"}, paramLabel = "NAME", description = "Name of key.  Default is the FQDN.")
    String name;

    @Option(names = {"-e", "--email"}, paramLabel = "ADDRESS",
            description = "Email address of OpenPGP key.  Default empty.")
    String email = "";

    @Option(names = {"-c", "--comment"}, paramLabel = "TEXT",
            description = "Comment field for OpenPGP key.  Default empty.")
    String comment = "";

    @Option(names = {"-x", "--expire"}, paramLabel = "TIME",
            description = "OpenPGP key expire time.  Default is none.  See gpg(1) for syntax.")
    String expire = "0";

    @Option(names = {"-T", "--tls-keytype"}, paramLabel = "TYPE", description = "TLS key type.  Default is ed25519.")
    String tlsKeyType = "ed25519";

    @Option(names = {"-f", "--force"}, description = "Force overwriting old key files.")
    boolean force;

    @Option(names = {"-p", "--password"},
            description = "Create an encrypted password using the key in the key directory, asking for it"
                    + " twice on the terminal (whitespace is kept).")
    boolean password;

    @Option(names = {"-F", "--passfile"}, paramLabel = "FILE",
            description = "Encrypt a password from FILE (used verbatim) using the key in the key directory.")
    Path passfile;

    @Option(names = {"-S", "--no-ssh"}, description = "Don't get SSH key or set \"checker\" option.")
    boolean noSsh;

    @Option(names = "--test",
            description = "After encrypting, decrypt with the key directory's secret key and check the result.")
    boolean test;

    @Option(names = "--secfile", paramLabel = "FILE",
            description = "Write the encrypted password to FILE and print a \"secfile\" line instead of \"secret\".")
    Path secfile;

    boolean passwordMode() {
        return password || passfile != null;
    }
}
