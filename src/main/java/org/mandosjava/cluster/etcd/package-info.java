/**
 * etcd's v3 API through its JSON gateway, with the JDK's {@code HttpClient} only: the store the
 * cluster's {@code SharedState} is built on. Nothing here knows about Mandos clients.
 * <p>
 * Entry point: {@link org.mandosjava.cluster.etcd.EtcdClient#connect}, with
 * {@link org.mandosjava.cluster.etcd.EtcdClientSettings} (from mandos.conf through
 * {@link org.mandosjava.cluster.etcd.EtcdClientSettings#from}).
 * <ul>
 *   <li>Blocking calls (range, put, delete, txn, leases) are thread-safe, bounded by the settings'
 *       timeout on the monotonic clock, and either return what etcd did or throw
 *       {@link org.mandosjava.cluster.etcd.EtcdException} with a kind: UNAVAILABLE, TIMEOUT,
 *       COMPACTED, AUTH, NOT_FOUND, REJECTED, CLOSED. A write sent without an answer says
 *       {@code outcomeUnknown()}. A failed transaction comparison is a result, not an exception.</li>
 *   <li>A {@link org.mandosjava.cluster.etcd.Watch} delivers to its
 *       {@link org.mandosjava.cluster.etcd.Watch.Listener} on a virtual thread of its own, one call
 *       at a time, in revision order; it re-opens a broken or silent stream from the next revision
 *       and ends for good only on close, compaction, a permanent error or the client's close.</li>
 *   <li>A {@link org.mandosjava.cluster.etcd.LeaseKeeper} renews a lease and reports its loss once.</li>
 * </ul>
 */
package org.mandosjava.cluster.etcd;
