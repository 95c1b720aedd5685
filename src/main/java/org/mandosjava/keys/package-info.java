/**
 * A Mandos client's key files on disk: the key directory layout mandos-keygen uses, PEM, and the
 * Ed25519 TLS key pair whose SubjectPublicKeyInfo is the client's identity (key_id).
 */
package org.mandosjava.keys;
