package org.mandosjava.tools.keygen;

import java.io.Console;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.util.Arrays;
import java.util.Optional;

/**
 * Asks for the password twice on the terminal without echo. Unlike mandos-keygen 1.8.16 (see its
 * BUGS), leading and trailing whitespace is kept: the password is exactly what was typed.
 */
final class PasswordPrompt {
    private PasswordPrompt() {}

    /** @return the password in the terminal's encoding, or empty if there is no terminal */
    static Optional<byte[]> askTwice(PrintErr err) {
        Console console = System.console();
        if (console == null) return Optional.empty();
        while (true) {
            char[] first = console.readPassword("Enter passphrase: ");
            char[] second = first == null ? null : console.readPassword("Repeat passphrase: ");
            try {
                if (first == null || second == null) return Optional.empty(); // end of input
                if (Arrays.equals(first, second)) return Optional.of(encode(first, console.charset()));
                err.println("Passphrase mismatch");
            } finally {
                if (first != null) Arrays.fill(first, '\0');
                if (second != null) Arrays.fill(second, '\0');
            }
        }
    }

    private static byte[] encode(char[] password, Charset charset) {
        ByteBuffer encoded = charset.encode(CharBuffer.wrap(password));
        byte[] bytes = new byte[encoded.remaining()];
        encoded.get(bytes);
        if (encoded.hasArray()) Arrays.fill(encoded.array(), (byte) 0);
        return bytes;
    }

    /** Where the mismatch message goes. */
    interface PrintErr {
        void println(String line);
    }
}
