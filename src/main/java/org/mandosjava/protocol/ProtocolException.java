package org.mandosjava.protocol;

import java.io.IOException;

/** The peer broke the Mandos protocol (not TLS itself): a bad version line, for instance. */
public final class ProtocolException extends IOException {
    public ProtocolException(String message) {
        super(message);
    }
}
