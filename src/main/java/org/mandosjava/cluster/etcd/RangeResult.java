package org.mandosjava.cluster.etcd;

import java.util.List;

/**
 * What a read returned.
 *
 * @param revision the store's revision the read saw (watch from {@code revision + 1} to miss nothing)
 * @param kvs the keys, in key order
 * @param count how many keys are in the range (may exceed {@code kvs.size()} when limited)
 * @param more whether the limit cut the result short
 */
public record RangeResult(long revision, List<KeyValue> kvs, long count, boolean more) {
    public RangeResult {
        kvs = List.copyOf(kvs);
    }

    /** The single key asked for, or null if it does not exist. */
    public KeyValue first() {
        return kvs.isEmpty() ? null : kvs.get(0);
    }
}
