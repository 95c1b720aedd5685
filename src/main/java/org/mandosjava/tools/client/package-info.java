/**
 * {@code mandos-client} for a running system: fetch the password over the Mandos protocol (TLS
 * server role with a raw public key), decrypt it, write it to stdout exactly, retry until it works.
 * Entry point {@link org.mandosjava.tools.client.ClientMain#run}.
 */
package org.mandosjava.tools.client;
