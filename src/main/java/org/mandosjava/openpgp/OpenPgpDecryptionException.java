package org.mandosjava.openpgp;

/** A message could not be decrypted. Messages never contain plaintext or key material. */
public final class OpenPgpDecryptionException extends Exception {
    public OpenPgpDecryptionException(String message) {
        super(message);
    }

    public OpenPgpDecryptionException(String message, Throwable cause) {
        super(message, cause);
    }
}
