package org.mandosjava.cluster.etcd;

/**
 * One change seen by a watch.
 *
 * @param kv the key after the change; for a delete only its key and {@code modRevision} (the delete's)
 * @param prevKv the key before the change, or null when the watch did not ask for it or there was none
 */
public record WatchEvent(Type type, KeyValue kv, KeyValue prevKv) {
    public enum Type { PUT, DELETE }

    /** The revision of this change. */
    public long revision() {
        return kv.modRevision();
    }
}
