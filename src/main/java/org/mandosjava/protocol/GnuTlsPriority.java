package org.mandosjava.protocol;
/** TEMPORARY STUB until the platform branch lands. */
public final class GnuTlsPriority {
    private GnuTlsPriority() {}
    public static TlsPolicy parse(String priority) { return TlsPolicy.mandosDefault(); }
}
