package org.mandosjava.cluster.etcd;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * One key's state at a revision, as etcd reports it. The arrays are owned by this record: callers
 * must not modify them.
 *
 * @param createRevision revision of the key's creation (0 for a deleted key in a watch event)
 * @param modRevision revision of the last change (for a delete event: the delete's revision)
 * @param version changes since creation (0 when deleted)
 * @param lease the lease the key is attached to, or 0
 */
public record KeyValue(byte[] key, byte[] value, long createRevision, long modRevision, long version, long lease) {

    public String keyUtf8() {
        return new String(key, StandardCharsets.UTF_8);
    }

    public String valueUtf8() {
        return new String(value, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyValue kv && Arrays.equals(key, kv.key) && Arrays.equals(value, kv.value)
                && createRevision == kv.createRevision && modRevision == kv.modRevision
                && version == kv.version && lease == kv.lease;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(key) * 31 + Long.hashCode(modRevision);
    }

    /** Values may be secrets: only their length is shown. */
    @Override
    public String toString() {
        return "KeyValue[" + printable(key) + ", " + value.length + " bytes, create=" + createRevision
                + ", mod=" + modRevision + ", version=" + version + (lease != 0 ? ", lease=" + lease : "") + "]";
    }

    private static String printable(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0x20 || b == 0x7f) return "0x" + HexFormat.of().formatHex(bytes);
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
