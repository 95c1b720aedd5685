package org.mandosjava.cluster.etcd;

import java.util.List;

/**
 * What a put or delete did.
 *
 * @param revision the store's revision after the write
 * @param deleted how many keys a delete removed (0 for a put)
 * @param prevKvs the keys before the write, when asked for (a put gives at most one)
 */
public record WriteResult(long revision, long deleted, List<KeyValue> prevKvs) {
    public WriteResult {
        prevKvs = List.copyOf(prevKvs);
    }
}
