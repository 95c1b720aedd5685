package org.mandosjava.cluster;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;
import org.mandosjava.cluster.etcd.Compare;
import org.mandosjava.cluster.etcd.EtcdClient;
import org.mandosjava.cluster.etcd.EtcdException;
import org.mandosjava.cluster.etcd.KeyValue;
import org.mandosjava.cluster.etcd.LeaseGrant;
import org.mandosjava.cluster.etcd.LeaseKeeper;
import org.mandosjava.cluster.etcd.Op;
import org.mandosjava.cluster.etcd.RangeResult;
import org.mandosjava.cluster.etcd.TxnResult;
import org.mandosjava.cluster.etcd.WatchEvent;
import org.mandosjava.cluster.etcd.WatchOptions;
import org.mandosjava.json.Json;

/**
 * The shared state in etcd, under a key prefix: {@code clients/<name>} (a {@link ClientRecord} as
 * JSON), {@code members/<id>} (the revision a member has applied, kept until it leaves) and
 * {@code live/<id>} (presence, bound to the member's lease). A compare-and-swap is a transaction
 * comparing the key's modification revision (0: absent).
 */
public final class EtcdSharedState implements SharedState {
    private static final Logger LOG = Logger.getLogger(EtcdSharedState.class.getName());
    static final String CLIENTS = "clients/";
    static final String MEMBERS = "members/";
    static final String LIVE = "live/";

    private final EtcdClient etcd;
    private final String prefix;
    private final long leaseTtlSeconds;
    private LeaseGrant lease;
    private LeaseKeeper keeper;

    /**
     * @param prefix the key prefix, e.g. {@code /mandos/}
     * @param leaseTtlSeconds how long presence outlives the last renewal
     */
    public EtcdSharedState(EtcdClient etcd, String prefix, long leaseTtlSeconds) {
        this.etcd = etcd;
        this.prefix = prefix;
        this.leaseTtlSeconds = leaseTtlSeconds;
    }

    private byte[] key(String kind, String name) {
        return (prefix + kind + name).getBytes(StandardCharsets.UTF_8);
    }

    private byte[] key(String kind) {
        return (prefix + kind).getBytes(StandardCharsets.UTF_8);
    }

    private static UnavailableException unavailable(EtcdException e) {
        return new UnavailableException("etcd: " + e.getMessage(), e);
    }

    @Override
    public Snapshot readAll() throws UnavailableException {
        try {
            RangeResult all = etcd.getPrefix(key(""));
            Map<String, Versioned> clients = new HashMap<>();
            Map<String, Long> members = new HashMap<>();
            Set<String> live = new HashSet<>();
            for (KeyValue kv : all.kvs()) {
                String k = kv.keyUtf8().substring(prefix.length());
                if (k.startsWith(CLIENTS)) {
                    ClientRecord r = record(kv);
                    if (r != null) clients.put(k.substring(CLIENTS.length()), new Versioned(r, kv.modRevision()));
                } else if (k.startsWith(MEMBERS)) {
                    members.put(k.substring(MEMBERS.length()), applied(kv));
                } else if (k.startsWith(LIVE)) {
                    live.add(k.substring(LIVE.length()));
                }
            }
            return new Snapshot(clients, members, live, all.revision());
        } catch (EtcdException e) {
            throw unavailable(e);
        }
    }

    @Override
    public Optional<Versioned> read(String client) throws UnavailableException {
        try {
            KeyValue kv = etcd.get(key(CLIENTS, client)).first();
            ClientRecord r = kv == null ? null : record(kv);
            return r == null ? Optional.empty() : Optional.of(new Versioned(r, kv.modRevision()));
        } catch (EtcdException e) {
            throw unavailable(e);
        }
    }

    @Override
    public Snapshot readMembers() throws UnavailableException {
        try {
            byte[] members = key(MEMBERS);
            byte[] live = key(LIVE);
            TxnResult r = etcd.txn(List.of(), List.of(new Op.Get(members, EtcdClient.prefixEnd(members)),
                    new Op.Get(live, EtcdClient.prefixEnd(live))), List.of());
            Map<String, Long> applied = new HashMap<>();
            for (KeyValue kv : r.results().get(0).kvs()) {
                applied.put(kv.keyUtf8().substring(prefix.length() + MEMBERS.length()), applied(kv));
            }
            Set<String> present = new HashSet<>();
            for (KeyValue kv : r.results().get(1).kvs()) present.add(kv.keyUtf8().substring(prefix.length() + LIVE.length()));
            return new Snapshot(Map.of(), applied, present, r.revision());
        } catch (EtcdException e) {
            throw unavailable(e);
        }
    }

    @Override
    public long commit(Cas cas) throws UnavailableException {
        return commitAll(List.of(cas));
    }

    @Override
    public long commitAll(List<Cas> batch) throws UnavailableException {
        List<Compare> compares = new ArrayList<>();
        List<Op> puts = new ArrayList<>();
        for (Cas c : batch) {
            byte[] k = key(CLIENTS, c.client());
            compares.add(Compare.modRevision(k, Compare.Result.EQUAL, c.expected()));
            puts.add(new Op.Put(k, c.record().toJson(), 0, false));
        }
        try {
            TxnResult r = etcd.txn(compares, puts, List.of());
            return r.succeeded() ? r.revision() : -1;
        } catch (EtcdException e) {
            throw unavailable(e);
        }
    }

    @Override
    public Watch watch(long fromRevision, WatchListener listener) {
        org.mandosjava.cluster.etcd.Watch w = etcd.watch(WatchOptions.prefix(key(""), fromRevision),
                new org.mandosjava.cluster.etcd.Watch.Listener() {
                    @Override public void onEvents(List<WatchEvent> events, long revision) {
                        List<Event> out = new ArrayList<>();
                        for (WatchEvent e : events) {
                            Event mine = event(e);
                            if (mine != null) out.add(mine);
                        }
                        if (!out.isEmpty()) listener.events(out);
                        listener.progress(revision);
                    }

                    @Override public void onProgress(long revision) {
                        listener.progress(revision);
                    }

                    @Override public void onClosed(EtcdException cause) {
                        if (cause == null) return;
                        if (cause.kind() == EtcdException.Kind.COMPACTED) listener.compacted(cause.compactRevision());
                        else listener.ended(cause);
                    }
                });
        return w::close;
    }

    private Event event(WatchEvent e) {
        String k = e.kv().keyUtf8();
        if (!k.startsWith(prefix)) return null;
        k = k.substring(prefix.length());
        long rev = e.revision();
        boolean put = e.type() == WatchEvent.Type.PUT;
        if (k.startsWith(CLIENTS)) {
            String name = k.substring(CLIENTS.length());
            if (!put) return new ClientDeleted(name, rev);
            ClientRecord r = record(e.kv());
            return r == null ? null : new ClientChanged(name, r, rev);
        }
        if (k.startsWith(MEMBERS)) {
            String id = k.substring(MEMBERS.length());
            return put ? new MemberChanged(id, applied(e.kv()), rev) : new MemberLeft(id, rev);
        }
        if (k.startsWith(LIVE)) {
            String id = k.substring(LIVE.length());
            return put ? new PresenceChanged(id, rev) : new PresenceLost(id, rev);
        }
        return null;
    }

    /** The record in {@code kv}, or null (logged, without the value) when it is not one. */
    private static ClientRecord record(KeyValue kv) {
        try {
            return ClientRecord.fromJson(kv.value());
        } catch (IllegalArgumentException e) {
            LOG.warning("etcd: " + kv.keyUtf8() + " is not a client record (" + e.getMessage() + "); ignored");
            return null;
        }
    }

    private static long applied(KeyValue kv) {
        try {
            Object v = Json.parseObject(kv.valueUtf8()).get("applied");
            return v instanceof Long l ? l : 0;
        } catch (IllegalArgumentException e) {
            return 0;
        }
    }

    @Override
    public long reportApplied(String server, long applied) throws UnavailableException {
        try {
            return etcd.put(key(MEMBERS, server), Json.write(Map.of("applied", applied)).getBytes(StandardCharsets.UTF_8))
                    .revision();
        } catch (EtcdException e) {
            throw unavailable(e);
        }
    }

    @Override
    public long heartbeat(String server) throws UnavailableException {
        try {
            long id = lease();
            return etcd.put(key(LIVE, server), "1".getBytes(StandardCharsets.UTF_8), id, false).revision();
        } catch (EtcdException e) {
            if (e.kind() == EtcdException.Kind.NOT_FOUND) dropLease();
            throw unavailable(e);
        }
    }

    /** The presence lease, granted anew when the last one was lost. */
    private synchronized long lease() throws EtcdException {
        if (keeper != null && !keeper.isAlive()) dropLease();
        if (lease == null) {
            lease = etcd.grantLease(leaseTtlSeconds);
            keeper = etcd.keepAlive(lease, (id, cause) -> LOG.warning("etcd: presence lease lost ("
                    + (cause == null ? "expired" : cause.getMessage()) + "); a new one is taken at the next heartbeat"));
        }
        return lease.id();
    }

    private synchronized void dropLease() {
        if (keeper != null) keeper.close();
        keeper = null;
        lease = null;
    }

    @Override
    public void leave(String server) throws UnavailableException {
        try {
            etcd.txn(List.of(), List.of(new Op.Delete(key(MEMBERS, server), null, false),
                    new Op.Delete(key(LIVE, server), null, false)), List.of());
            LeaseGrant held;
            synchronized (this) {
                held = lease;
                dropLease();
            }
            if (held != null) etcd.revokeLease(held.id());
        } catch (EtcdException e) {
            throw unavailable(e);
        }
    }

    @Override
    public void close() {
        dropLease();
        etcd.close();
    }
}
