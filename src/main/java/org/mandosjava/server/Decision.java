package org.mandosjava.server;

/** The registry's answer to a peer that proved possession of a key. */
public sealed interface Decision {
    /** Send these bytes. They are the client's secret: never log them. */
    record Send(String clientName, byte[] secret) implements Decision {
        @Override public String toString() {
            return "Send[" + clientName + "]";
        }
    }

    /** Known client, but it gets nothing; {@code reason} as in the D-Bus Rejected signal. */
    record Refuse(String clientName, String reason) implements Decision {}

    /** The peer went away while waiting for approval. */
    record Abandoned(String clientName) implements Decision {}

    /** No client has this key. */
    record Unknown(String keyId) implements Decision {}
}
