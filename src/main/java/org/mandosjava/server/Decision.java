package org.mandosjava.server;

/** The registry's answer to a peer that proved possession of a key. */
public sealed interface Decision {
    /** Send these bytes. They are the client's secret: never log them. */
    record Send(Client client, byte[] secret) implements Decision {
        @Override public String toString() {
            return "Send[" + client.name() + "]";
        }
    }

    /** Known client, but it gets nothing; {@code reason} as in the D-Bus Rejected signal. */
    record Refuse(Client client, String reason) implements Decision {}

    /** No client has this key. */
    record Unknown(String keyId) implements Decision {}
}
