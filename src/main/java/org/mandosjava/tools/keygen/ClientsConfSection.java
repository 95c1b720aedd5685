package org.mandosjava.tools.keygen;

import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import org.mandosjava.config.KeyExpiryDates;

/**
 * The clients.conf section mandos-keygen prints in password mode, line for line as 1.8.16 prints it.
 *
 * @param name section name and {@code host}
 * @param keyId upper- or lower-case hex; printed lower-case, or absent without a TLS public key
 * @param fingerprint printed upper-case
 * @param encryptedSecret the binary OpenPGP message; printed base64 in indented continuation lines
 * @param secfile if present, printed as {@code secfile = } instead of the secret
 * @param keyExpires when the OpenPGP key expires, if it does: printed as {@code key_expires} (ours;
 *     the original's server ignores it, ours refuses the client from then on)
 */
record ClientsConfSection(
        String name,
        Optional<String> keyId,
        String fingerprint,
        byte[] encryptedSecret,
        Optional<String> secfile,
        Optional<SshHostKeyScanner.HostKey> sshHostKey,
        Optional<java.time.Instant> keyExpires) {

    /** A section without key expiry. */
    ClientsConfSection(String name, Optional<String> keyId, String fingerprint, byte[] encryptedSecret,
            Optional<String> secfile, Optional<SshHostKeyScanner.HostKey> sshHostKey) {
        this(name, keyId, fingerprint, encryptedSecret, secfile, sshHostKey, Optional.empty());
    }

    /** GnuPG's armor line length, which mandos-keygen copies into the file. */
    static final int SECRET_LINE_LENGTH = 64;
    static final String CONTINUATION_INDENT = "    ";

    String render() {
        StringBuilder out = new StringBuilder();
        out.append('[').append(name).append("]\n");
        out.append("host = ").append(name).append('\n');
        keyId.ifPresent(id -> out.append("key_id = ").append(id.toLowerCase(Locale.ROOT)).append('\n'));
        out.append("fingerprint = ").append(fingerprint.toUpperCase(Locale.ROOT)).append('\n');
        keyExpires.ifPresent(t -> out.append(KeyExpiryDates.KEY).append(" = ")
                .append(KeyExpiryDates.format(t)).append('\n'));
        if (secfile.isPresent()) {
            out.append("secfile = ").append(secfile.get()).append('\n');
        } else {
            out.append("secret =\n");
            String base64 = Base64.getEncoder().encodeToString(encryptedSecret);
            for (int i = 0; i < base64.length(); i += SECRET_LINE_LENGTH) {
                out.append(CONTINUATION_INDENT)
                        .append(base64, i, Math.min(base64.length(), i + SECRET_LINE_LENGTH))
                        .append('\n');
            }
        }
        sshHostKey.ifPresent(key -> {
            // %% survives clients.conf interpolation as one %, which the checker command needs.
            out.append("checker = ssh-keyscan -t ").append(key.type())
                    .append(" %%(host)s 2>/dev/null | grep --fixed-strings --line-regexp --quiet"
                            + " --regexp=%%(host)s\" %(ssh_fingerprint)s\"\n");
            out.append("ssh_fingerprint = ").append(key.key()).append('\n');
        });
        return out.toString();
    }
}
