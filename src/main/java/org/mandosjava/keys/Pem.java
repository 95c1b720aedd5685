package org.mandosjava.keys;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** PEM text (RFC 7468) as certtool and OpenSSL write it: 64-column base64 between BEGIN/END lines. */
public final class Pem {
    public static final String PUBLIC_KEY = "PUBLIC KEY";
    public static final String PRIVATE_KEY = "PRIVATE KEY";
    private static final int LINE_LENGTH = 64;

    private Pem() {}

    public static String encode(String label, byte[] der) {
        String body = Base64.getMimeEncoder(LINE_LENGTH, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der);
        return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
    }

    /**
     * The DER content of the first {@code label} block in {@code text}; text around it (certtool's
     * human-readable dump, for one) is ignored.
     *
     * @throws IllegalArgumentException if there is no such block or its base64 is broken
     */
    public static byte[] decode(String label, String text) {
        Matcher block = Pattern.compile(
                "-----BEGIN " + Pattern.quote(label) + "-----\\R(.*?)-----END " + Pattern.quote(label) + "-----",
                Pattern.DOTALL).matcher(text);
        if (!block.find()) throw new IllegalArgumentException("no PEM \"" + label + "\" block");
        String body = block.group(1).replaceAll("\\s", "");
        try {
            return Base64.getDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad base64 in PEM \"" + label + "\" block");
        }
    }
}
