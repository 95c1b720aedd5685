/**
 * The server's persistent state: what survives a restart or a crash, and how it is merged with an
 * edited clients.conf (spec §8, "done better").
 * <p>
 * Pieces: {@link org.mandosjava.state.ClientSnapshot} and {@link org.mandosjava.state.SavedState}
 * (immutable records of what is kept); {@link org.mandosjava.state.StateStore} (the crash-safe file,
 * two generations, SHA-256-checked, runtime secrets only OpenPGP-encrypted via
 * {@link org.mandosjava.state.SecretCipher}); {@link org.mandosjava.state.StateSaver} (when to write);
 * {@link org.mandosjava.state.StateMerge} (the restart rules); and
 * {@link org.mandosjava.state.PythonStateImport} (migration from the Python server's clients.pickle).
 * <p>
 * Startup, after clients.conf is read and before any client is scheduled:
 * <pre>{@code
 * StateStore store = StateStore.prepare(statedir);        // as root: creates 0700, cleans temp files
 * StateStore.chown(statedir, uid, gid);                   // as root, before dropping privileges
 * Function<String, byte[]> secrets = name -> secretOf(name);  // clients.conf secret, null if unknown
 * Optional<StateStore.LoadedState> loaded = Optional.empty();
 * if (restore) {
 *     loaded = store.load(secrets);                       // throws StateCorruptException: refuse to start
 *     if (loaded.isEmpty() && Files.exists(statedir.resolve(PythonStateImport.FILE_NAME)))
 *         loaded = Optional.of(PythonStateImport.read(statedir.resolve(PythonStateImport.FILE_NAME), secrets));
 * }
 * loaded.ifPresent(l -> l.warnings().forEach(log::warning));
 * StateMerge.Result r = loaded.map(l -> StateMerge.merge(l.state(), config, now))
 *         .orElseGet(() -> StateMerge.merge(new SavedState(Map.of(), Map.of(), now), config, now));
 * r.notes().forEach(log::info);
 * for (RestoredClient c : r.clients())
 *     start(c.config(), c.state() != null ? c.state() : ClientSnapshot.fresh(c.config(), now));
 * }</pre>
 * Running: one {@link org.mandosjava.state.StateSaver} whose snapshot supplier builds a
 * {@link org.mandosjava.state.SavedState} from the live clients plus, as {@code configAtSave}, the
 * {@code options()} of every clients.conf section in force (also of clients removed at runtime —
 * that is how they stay removed); {@code awaitDurable()} after a change an operator or a reload
 * made (enable/disable/remove/add/settings/approval), {@code markDirty()} after what the timers do
 * (expiry, checker results), {@code close()} at SIGTERM/SIGINT.
 */
package org.mandosjava.state;
