package org.mandosjava.cluster.etcd;

/** One operation inside a transaction branch. */
public sealed interface Op {
    /**
     * Reads {@code key}, or [key, rangeEnd) when {@code rangeEnd} is not null.
     */
    record Get(byte[] key, byte[] rangeEnd) implements Op {}

    /** Writes {@code value} to {@code key}, attached to {@code lease} (0 for none). */
    record Put(byte[] key, byte[] value, long lease, boolean prevKv) implements Op {}

    /** Deletes {@code key}, or [key, rangeEnd) when {@code rangeEnd} is not null. */
    record Delete(byte[] key, byte[] rangeEnd, boolean prevKv) implements Op {}

    static Op get(byte[] key) {
        return new Get(key, null);
    }

    static Op put(byte[] key, byte[] value) {
        return new Put(key, value, 0, false);
    }

    static Op put(byte[] key, byte[] value, long lease) {
        return new Put(key, value, lease, false);
    }

    static Op delete(byte[] key) {
        return new Delete(key, null, false);
    }
}
