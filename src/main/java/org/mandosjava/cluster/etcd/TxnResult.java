package org.mandosjava.cluster.etcd;

import java.util.List;

/**
 * What a transaction did: a failed comparison is an ordinary result, with the failure branch's
 * results (typically a read of the current value to retry from).
 *
 * @param succeeded whether every comparison held (the success branch ran) or not (the failure branch ran)
 * @param revision the store's revision after the transaction
 * @param results one per operation of the branch that ran, in order: a range's keys, a put's or
 *     delete's previous keys when asked for
 */
public record TxnResult(boolean succeeded, long revision, List<RangeResult> results) {
    public TxnResult {
        results = List.copyOf(results);
    }
}
