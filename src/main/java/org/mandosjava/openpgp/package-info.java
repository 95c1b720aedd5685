/**
 * OpenPGP as Mandos uses it, on Bouncy Castle's classic bcpg API: generating a client's key pair
 * ({@link org.mandosjava.openpgp.OpenPgpKeyGenerator}), reading key files
 * ({@link org.mandosjava.openpgp.OpenPgpKeys}), and the two small operations everything else needs,
 * {@link org.mandosjava.openpgp.MessageEncryptor#encrypt} and
 * {@link org.mandosjava.openpgp.MessageDecryptor#decrypt}. Output stays within what the GnuPG 2.2
 * inside mandos-client reads: v4 keys, PKESK v3, SEIPD v1 with MDC, never AEAD.
 */
package org.mandosjava.openpgp;
