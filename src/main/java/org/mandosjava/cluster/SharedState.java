package org.mandosjava.cluster;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The store several servers share, as the cluster logic needs it; etcd is the one implementation
 * that ships ({@link EtcdSharedState}), a memory one serves the tests. Revisions are the store's:
 * one counter, increased by every write, so a revision orders every change.
 *
 * <p>What it holds: one record per client; one member entry per server that has joined (kept until
 * it leaves cleanly) with the last revision it applied; one presence entry per server that reaches
 * the store, which vanishes on its own when the server stops renewing it (a lease).
 */
public interface SharedState extends AutoCloseable {
    /** A client record and the revision at which it was last written. */
    record Versioned(ClientRecord record, long modRevision) {}

    /**
     * Everything at one revision.
     *
     * @param members applied revision by server id
     * @param live the servers whose presence entry exists
     */
    record Snapshot(Map<String, Versioned> clients, Map<String, Long> members, Set<String> live, long revision) {}

    /** One compare-and-swap: write {@code record} if the client's record is still at {@code expected} (0: absent). */
    record Cas(String client, long expected, ClientRecord record) {}

    /** A change the watch reports. */
    sealed interface Event {
        long revision();
    }

    record ClientChanged(String client, ClientRecord record, long revision) implements Event {}

    record ClientDeleted(String client, long revision) implements Event {}

    record MemberChanged(String server, long applied, long revision) implements Event {}

    record MemberLeft(String server, long revision) implements Event {}

    record PresenceChanged(String server, long revision) implements Event {}

    record PresenceLost(String server, long revision) implements Event {}

    /** What a watch tells; called on one thread per watch, in revision order. */
    interface WatchListener {
        /** Changes, all of one revision or several in order; the store is current up to {@code revision}. */
        void events(List<Event> events);

        /** Nothing changed up to {@code revision} (a progress notification). */
        void progress(long revision);

        /** The start revision was compacted away: read everything again and watch from there. */
        void compacted(long compactRevision);

        /** The watch ended (connection lost, cancelled by the store); not called after {@link Watch#close()}. */
        void ended(Exception cause);
    }

    interface Watch extends AutoCloseable {
        @Override void close();
    }

    /** The store cannot be reached (or did not answer in time); nothing is known to have changed. */
    final class UnavailableException extends Exception {
        public UnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Everything, read linearizably. */
    Snapshot readAll() throws UnavailableException;

    /** One client's record, read linearizably (it reflects every write that finished before the call). */
    Optional<Versioned> read(String client) throws UnavailableException;

    /** Member entries (applied revision by id) and presence, read linearizably. */
    Snapshot readMembers() throws UnavailableException;

    /**
     * Writes {@code cas} if its compare holds.
     *
     * @return the revision of the write, or -1 if the record was not at the expected revision
     */
    long commit(Cas cas) throws UnavailableException;

    /**
     * Writes every one of {@code batch} in one transaction if every compare holds, none otherwise.
     *
     * @return the revision of the write, or -1 if any compare failed
     */
    long commitAll(List<Cas> batch) throws UnavailableException;

    /** Watches everything from {@code fromRevision} on (inclusive). */
    Watch watch(long fromRevision, WatchListener listener);

    /** Writes this server's member entry. */
    long reportApplied(String server, long applied) throws UnavailableException;

    /** Writes this server's presence entry (bound to its lease, which this renews). */
    long heartbeat(String server) throws UnavailableException;

    /** Deletes a server's member and presence entries: it stopped cleanly, or an operator forgets it. */
    void leave(String server) throws UnavailableException;

    @Override
    void close();
}
