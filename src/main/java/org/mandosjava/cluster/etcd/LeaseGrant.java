package org.mandosjava.cluster.etcd;

/** A granted lease: keys put with its id vanish when it expires or is revoked. */
public record LeaseGrant(long id, long ttlSeconds) {}
