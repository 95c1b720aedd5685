package org.mandosjava.cluster.etcd;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.mandosjava.cluster.etcd.EtcdException.Kind;
import org.mandosjava.cluster.etcd.EtcdTransport.Retry;
import org.mandosjava.json.Json;

/**
 * etcd's v3 key-value, lease, watch and auth API through its JSON gateway, with the JDK's
 * {@code HttpClient} only.
 * <p>
 * Thread-safe: calls may be made from any thread, concurrently. Every call is bounded by the
 * settings' timeout on the monotonic clock and either returns what etcd did or throws an
 * {@link EtcdException} whose kind says why not; a write whose fate is unknown says so
 * ({@link EtcdException#outcomeUnknown()}). A connect failure moves on to the next endpoint (also for
 * writes, which cannot have arrived); a read also moves on when a member has no leader. Watches and
 * lease keepers deliver to their listeners on virtual threads of their own.
 */
public final class EtcdClient implements AutoCloseable {
    private final EtcdTransport transport;

    private EtcdClient(EtcdTransport transport) {
        this.transport = transport;
    }

    /**
     * A client for {@code settings}; authenticates now when a user is configured, so wrong
     * credentials fail here.
     *
     * @throws EtcdException AUTH for bad credentials, UNAVAILABLE/TIMEOUT when etcd cannot be reached
     *     to authenticate
     * @throws IllegalArgumentException when the TLS files cannot be used
     */
    public static EtcdClient connect(EtcdClientSettings settings) throws EtcdException {
        EtcdTransport t = new EtcdTransport(settings);
        try {
            t.authenticate();
        } catch (EtcdException | RuntimeException e) {
            t.close();
            throw e;
        }
        return new EtcdClient(t);
    }

    /** How many authentication tokens this client has obtained (tests check renewal with it). */
    int authentications() {
        return transport.authentications();
    }

    public EtcdClientSettings settings() {
        return transport.settings();
    }

    /** The value of {@code key} (first() is null when absent), linearizable. */
    public RangeResult get(byte[] key) throws EtcdException {
        return range(key, null, 0, 0);
    }

    /** All keys starting with {@code prefix}, in key order, linearizable. */
    public RangeResult getPrefix(byte[] prefix) throws EtcdException {
        return range(prefix, prefixEnd(prefix), 0, 0);
    }

    /**
     * Keys in [key, rangeEnd) (just {@code key} when rangeEnd is null) as of {@code revision} (0: now),
     * at most {@code limit} (0: all).
     *
     * @throws EtcdException COMPACTED when {@code revision} was compacted away
     */
    public RangeResult range(byte[] key, byte[] rangeEnd, long revision, long limit) throws EtcdException {
        Map<String, Object> r = transport.call("/v3/kv/range", Wire.range(key, rangeEnd, revision, limit), Retry.READ);
        return read(r, () -> Wire.rangeResult(r, Wire.revision(r)));
    }

    public WriteResult put(byte[] key, byte[] value) throws EtcdException {
        return put(key, value, 0, false);
    }

    /** Writes {@code value}, attached to {@code lease} (0: none), returning the previous key if asked. */
    public WriteResult put(byte[] key, byte[] value, long lease, boolean prevKv) throws EtcdException {
        Map<String, Object> r = transport.call("/v3/kv/put", Wire.put(key, value, lease, prevKv), Retry.WRITE);
        return read(r, () -> Wire.writeResult(r));
    }

    /** Deletes {@code key}, or [key, rangeEnd) when rangeEnd is not null. */
    public WriteResult delete(byte[] key, byte[] rangeEnd, boolean prevKv) throws EtcdException {
        Map<String, Object> r = transport.call("/v3/kv/deleterange", Wire.delete(key, rangeEnd, prevKv),
                Retry.WRITE);
        return read(r, () -> Wire.writeResult(r));
    }

    /**
     * If every comparison holds, runs {@code success}, else {@code failure}, atomically. A failed
     * comparison is the normal result {@code succeeded() == false}, not an exception.
     */
    public TxnResult txn(List<Compare> compares, List<Op> success, List<Op> failure) throws EtcdException {
        Map<String, Object> r = transport.call("/v3/kv/txn", Wire.txn(compares, success, failure), Retry.WRITE);
        return read(r, () -> Wire.txnResult(r));
    }

    /** Compacts history up to {@code revision}: watches and reads from before it report COMPACTED. */
    public void compact(long revision) throws EtcdException {
        transport.call("/v3/kv/compaction", Map.of("revision", Long.toString(revision), "physical", true),
                Retry.WRITE);
    }

    /** A new lease of {@code ttlSeconds}; keep it with {@link #keepAlive}. */
    public LeaseGrant grantLease(long ttlSeconds) throws EtcdException {
        Map<String, Object> r = transport.call("/v3/lease/grant", Map.of("TTL", ttlSeconds), Retry.WRITE);
        return read(r, () -> new LeaseGrant(Wire.number(r, "ID"), Wire.number(r, "TTL")));
    }

    /**
     * Renews a lease once.
     *
     * @return the seconds it now has left
     * @throws EtcdException NOT_FOUND when it has already expired or been revoked
     */
    public long keepAliveOnce(long leaseId) throws EtcdException {
        return keepAliveOnce(leaseId, settings().timeout());
    }

    /** As {@link #keepAliveOnce(long)}, bounded by {@code timeout} instead of the settings' timeout. */
    public long keepAliveOnce(long leaseId, java.time.Duration timeout) throws EtcdException {
        Map<String, Object> r = transport.call("/v3/lease/keepalive", Map.of("ID", Long.toString(leaseId)),
                Retry.READ, timeout.toNanos());
        if (r.get("error") != null) throw EtcdTransport.error(transport.preferredEndpoint(), 200, Json.write(r));
        long ttl = read(r, () -> Wire.number(Wire.object(r, "result"), "TTL"));
        if (ttl <= 0) throw new EtcdException(Kind.NOT_FOUND, "lease " + leaseId + " has expired", null);
        return ttl;
    }

    /** Ends a lease now, deleting its keys; a lease that no longer exists is NOT_FOUND. */
    public void revokeLease(long leaseId) throws EtcdException {
        transport.call("/v3/lease/revoke", Map.of("ID", Long.toString(leaseId)), Retry.WRITE);
    }

    /**
     * Keeps {@code lease} alive in the background until closed, and tells {@code listener} once if it
     * is lost.
     */
    public LeaseKeeper keepAlive(LeaseGrant lease, LeaseKeeper.Listener listener) {
        return LeaseKeeper.start(this, lease, listener);
    }

    /** Starts a watch; events and status go to {@code listener} on the watch's own virtual thread. */
    public Watch watch(WatchOptions options, Watch.Listener listener) {
        return Watch.start(transport, options, listener);
    }

    /**
     * One member's view, asked of that member only (no failover): for tests and status displays.
     */
    public MemberStatus status(URI endpoint) throws EtcdException {
        Map<String, Object> r = transport.once(endpoint, "/v3/maintenance/status", "{}",
                settings().timeout().toNanos(), Retry.READ, true);
        return read(r, () -> new MemberStatus(endpoint, Wire.number(Wire.object(r, "header"), "member_id"),
                Wire.number(r, "leader"), Wire.revision(r), Wire.number(r, "raftTerm"), Wire.text(r, "version")));
    }

    /** The smallest key after every key starting with {@code prefix} (etcd's range_end for a prefix). */
    public static byte[] prefixEnd(byte[] prefix) {
        byte[] end = Arrays.copyOf(prefix, prefix.length);
        for (int i = end.length - 1; i >= 0; i--) {
            if (end[i] != (byte) 0xff) {
                end[i]++;
                return Arrays.copyOf(end, i + 1);
            }
        }
        return new byte[] {0}; // every key: etcd's "\0" range end
    }

    /** Ends every call in flight and every watch's connection. Idempotent. */
    @Override
    public void close() {
        transport.close();
    }

    private interface Reader<T> {
        T read();
    }

    /** A well-formed JSON answer of the wrong shape is as bad as broken JSON. */
    private <T> T read(Map<String, Object> r, Reader<T> reader) throws EtcdException {
        try {
            return reader.read();
        } catch (IllegalArgumentException e) {
            throw new EtcdException(Kind.REJECTED, "unexpected answer from etcd: " + e.getMessage(), null);
        }
    }
}
