package org.mandosjava.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateStoreTest {
    @TempDir
    Path tmp;

    static byte[] configSecret(String name) {
        return ("config secret of " + name).getBytes(StandardCharsets.UTF_8);
    }

    static final Function<String, byte[]> SECRETS = StateStoreTest::configSecret;

    static SavedState state(Instant savedAt, ClientSnapshot... clients) {
        Map<String, Map<String, String>> config = new LinkedHashMap<>();
        Map<String, ClientSnapshot> byName = new LinkedHashMap<>();
        for (ClientSnapshot c : clients) {
            byName.put(c.name(), c);
            config.put(c.name(), Map.of("timeout", "PT5M", "checker", "fping -q -- %(host)s", "odd\tkey",
                    "value with\nnewline and \\ backslash", "enabled", "True"));
        }
        config.put("removed at runtime", Map.of("enabled", "True"));
        return new SavedState(config, byName, savedAt);
    }

    StateStore store() throws Exception {
        return StateStore.prepare(tmp.resolve("state"));
    }

    @Test
    void roundTripsEveryField() throws Exception {
        StateStore store = store();
        SavedState saved = state(Snapshots.T0, Snapshots.full("alpha"), Snapshots.sparse("beta", false),
                Snapshots.full("gämma\ttab"));
        store.save(saved, SECRETS);

        StateStore.LoadedState loaded = new StateStore(store.directory()).load(SECRETS).orElseThrow();
        assertThat(loaded.warnings()).isEmpty();
        assertThat(loaded.file()).isEqualTo(store.currentFile());
        assertThat(loaded.state()).isEqualTo(saved);
        assertThat(loaded.state().clients().get("alpha").runtimeSecret())
                .isEqualTo(Snapshots.full("alpha").runtimeSecret());
        assertThat(loaded.state().configAtSave().keySet()).containsExactly("alpha", "beta", "gämma\ttab",
                "removed at runtime");
    }

    @Test
    void nothingSavedYieldsEmpty() throws Exception {
        assertThat(store().load(SECRETS)).isEmpty();
    }

    @Test
    void runtimeSecretIsStoredOnlyEncryptedAndNeverShown() throws Exception {
        StateStore store = store();
        ClientSnapshot alpha = Snapshots.full("alpha");
        store.save(state(Snapshots.T0, alpha), SECRETS);
        byte[] file = Files.readAllBytes(store.currentFile());
        byte[] secret = alpha.runtimeSecret();
        for (byte[] form : new byte[][] {secret, Base64.getEncoder().encode(secret),
                HexFormat.of().formatHex(secret).getBytes(StandardCharsets.US_ASCII), configSecret("alpha")}) {
            assertThat(indexOf(file, form)).as("a form of the secret in the file").isEqualTo(-1);
        }
        assertThat(alpha.toString()).doesNotContain("runtime secret of");
        assertThat(new String(file, StandardCharsets.UTF_8)).contains("runtime-secret=");
    }

    @Test
    void runtimeSecretThatNoLongerDecryptsIsDroppedWithAWarning() throws Exception {
        StateStore store = store();
        store.save(state(Snapshots.T0, Snapshots.full("alpha"), Snapshots.full("beta")), SECRETS);
        StateStore.LoadedState loaded = new StateStore(store.directory())
                .load(n -> n.equals("alpha") ? "edited secret".getBytes(StandardCharsets.UTF_8) : configSecret(n))
                .orElseThrow();
        assertThat(loaded.state().clients().get("alpha").runtimeSecret()).isNull();
        assertThat(loaded.state().clients().get("beta").runtimeSecret()).isEqualTo(Snapshots.full("beta").runtimeSecret());
        assertThat(loaded.warnings()).singleElement().asString().contains("alpha").contains("cannot be decrypted");
    }

    @Test
    void saveRefusesARuntimeSecretWithoutAConfigSecret() throws Exception {
        StateStore store = store();
        assertThatThrownBy(() -> store.save(state(Snapshots.T0, Snapshots.full("alpha")), n -> null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("alpha")
                .hasMessageNotContaining("runtime secret of");
        assertThat(Files.exists(store.currentFile())).isFalse();
    }

    @Test
    void stateDirectoryIsCreated0700AndFiles0600() throws Exception {
        StateStore store = store();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.directory())))
                .isEqualTo("rwx------");
        store.save(state(Snapshots.T0, Snapshots.sparse("a", true)), SECRETS);
        store.save(state(Snapshots.T0.plusSeconds(1), Snapshots.sparse("a", true)), SECRETS);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.currentFile())))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.previousFile())))
                .isEqualTo("rw-------");
    }

    @Test
    void prepareTightensAnExistingDirectoryAndRemovesTemporaryFiles() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("open"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path stale = Files.writeString(dir.resolve(StateStore.FILE_NAME + ".tmp-1-2"), "torn");
        StateStore.prepare(dir);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        assertThat(stale).doesNotExist();
    }

    @Test
    void chownGivesTheDirectoryAndFilesToTheServerUser() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "chown needs root");
        StateStore store = store();
        store.save(state(Snapshots.T0, Snapshots.sparse("a", true)), SECRETS);
        StateStore.chown(store.directory(), 65534, 65534);
        for (Path p : new Path[] {store.directory(), store.currentFile()}) {
            assertThat(Files.getAttribute(p, "unix:uid")).isEqualTo(65534);
            assertThat(Files.getAttribute(p, "unix:gid")).isEqualTo(65534);
        }
    }

    @Test
    void keepsThePreviousGeneration() throws Exception {
        StateStore store = store();
        SavedState first = state(Snapshots.T0, Snapshots.sparse("a", true));
        SavedState second = state(Snapshots.T0.plusSeconds(60), Snapshots.sparse("a", false));
        store.save(first, SECRETS);
        store.save(second, SECRETS);
        assertThat(StateFileFormat.decode(Files.readAllBytes(store.previousFile()), store.previousFile()).state())
                .isEqualTo(first);
        assertThat(store.load(SECRETS).orElseThrow().state()).isEqualTo(second);
    }

    /** Two generations saved: "good" previous (a enabled), corrupted current (a disabled). */
    private record Generations(StateStore store, SavedState previous, byte[] current) {}

    private Generations twoGenerations() throws Exception {
        StateStore store = store();
        SavedState previous = state(Snapshots.T0, Snapshots.sparse("a", true), Snapshots.full("b"));
        store.save(previous, SECRETS);
        store.save(state(Snapshots.T0.plusSeconds(60), Snapshots.sparse("a", false), Snapshots.full("b")), SECRETS);
        return new Generations(store, previous, Files.readAllBytes(store.currentFile()));
    }

    @Test
    void tornCurrentFileIsDetectedAndThePreviousUsed() throws Exception {
        Generations g = twoGenerations();
        Random random = new Random(20261126);
        byte[] previousBytes = Files.readAllBytes(g.store().previousFile());
        int[] cuts = new int[42];
        cuts[0] = 0;
        cuts[1] = g.current().length - 1;
        for (int i = 2; i < cuts.length; i++) cuts[i] = random.nextInt(g.current().length);
        for (int cut : cuts) {
            Files.write(g.store().currentFile(), Arrays.copyOf(g.current(), cut));
            Files.write(g.store().previousFile(), previousBytes);
            StateStore.LoadedState loaded = new StateStore(g.store().directory()).load(SECRETS).orElseThrow();
            assertThat(loaded.state()).as("cut at %d", cut).isEqualTo(g.previous());
            assertThat(loaded.file()).isEqualTo(g.store().previousFile());
            assertThat(loaded.warnings()).singleElement().asString()
                    .contains(g.store().currentFile().toString()).contains(g.store().previousFile().toString());
            assertThat(g.store().corruptFile()).exists();
            assertThat(g.store().currentFile()).doesNotExist();
        }
    }

    @Test
    void flippedBitIsDetectedAndThePreviousUsed() throws Exception {
        Generations g = twoGenerations();
        Random random = new Random(7);
        for (int i = 0; i < 64; i++) {
            byte[] damaged = g.current().clone();
            int at = random.nextInt(damaged.length);
            damaged[at] ^= (byte) (1 << random.nextInt(8));
            Files.write(g.store().currentFile(), damaged);
            StateStore.LoadedState loaded = new StateStore(g.store().directory()).load(SECRETS).orElseThrow();
            assertThat(loaded.state()).as("bit flipped at %d", at).isEqualTo(g.previous());
            assertThat(loaded.warnings()).singleElement().asString().contains("corrupt").contains("moved to");
        }
    }

    @Test
    void bothGenerationsCorruptFailsLoudly() throws Exception {
        Generations g = twoGenerations();
        Files.write(g.store().currentFile(), Arrays.copyOf(g.current(), g.current().length / 2));
        byte[] previous = Files.readAllBytes(g.store().previousFile());
        previous[previous.length / 3] ^= 0x10;
        Files.write(g.store().previousFile(), previous);
        assertThatThrownBy(() -> g.store().load(SECRETS)).isInstanceOf(StateCorruptException.class)
                .hasMessageContaining(g.store().currentFile().toString())
                .hasMessageContaining(g.store().previousFile().toString())
                .hasMessageContaining("refusing to start from scratch");
        assertThat(g.store().currentFile()).as("evidence left in place").exists();
    }

    @Test
    void corruptCurrentWithoutPreviousFailsLoudly() throws Exception {
        StateStore store = store();
        store.save(state(Snapshots.T0, Snapshots.sparse("a", false)), SECRETS);
        Files.write(store.currentFile(), "mandos-java-state\t1\n".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> store.load(SECRETS)).isInstanceOf(StateCorruptException.class)
                .hasMessageContaining(store.currentFile().toString()).hasMessageContaining("no previous state file");
    }

    @Test
    void missingCurrentFallsBackToPreviousWithAWarning() throws Exception {
        Generations g = twoGenerations();
        Files.delete(g.store().currentFile());
        StateStore.LoadedState loaded = g.store().load(SECRETS).orElseThrow();
        assertThat(loaded.state()).isEqualTo(g.previous());
        assertThat(loaded.warnings()).singleElement().asString().contains("missing");
    }

    @Test
    void saveAfterAFallbackKeepsTheGoodPreviousGeneration() throws Exception {
        Generations g = twoGenerations();
        Files.write(g.store().currentFile(), Arrays.copyOf(g.current(), 10));
        g.store().load(SECRETS).orElseThrow();
        SavedState next = state(Snapshots.T0.plusSeconds(120), Snapshots.sparse("a", false));
        g.store().save(next, SECRETS);
        SavedState previous = StateFileFormat.decode(Files.readAllBytes(g.store().previousFile()),
                g.store().previousFile()).state();
        assertThat(previous.savedAt()).isEqualTo(g.previous().savedAt());
        assertThat(previous.clients().get("a")).isEqualTo(g.previous().clients().get("a"));
        assertThat(g.store().load(SECRETS).orElseThrow().state()).isEqualTo(next);
    }

    @Test
    void unknownFormatVersionIsReportedNotGuessed() throws Exception {
        StateStore store = store();
        byte[] body = "mandos-java-state\t2\nsaved-at\t2026-01-01T00:00:00Z\n".getBytes(StandardCharsets.UTF_8);
        byte[] sum = ("sha256\t" + HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(body)) + "\n").getBytes(StandardCharsets.US_ASCII);
        byte[] file = Arrays.copyOf(body, body.length + sum.length);
        System.arraycopy(sum, 0, file, body.length, sum.length);
        assertThatThrownBy(() -> StateFileFormat.decode(file, store.currentFile()))
                .isInstanceOf(StateCorruptException.class).hasMessageContaining("unsupported format version 2");
    }

    @Test
    void savesTenThousandClientsQuickly() throws Exception {
        StateStore store = store();
        Map<String, ClientSnapshot> clients = new LinkedHashMap<>();
        for (int i = 0; i < 10_000; i++) {
            ClientSnapshot c = Snapshots.full("client-" + i);
            clients.put(c.name(), i % 100 == 0 ? c : c.withRuntimeSecret(null));
        }
        SavedState s = state(Snapshots.T0, clients.values().toArray(ClientSnapshot[]::new));
        store.save(s, SECRETS);  // warm-up; encrypts the 100 runtime secrets once
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            long t = System.nanoTime();
            store.save(s, SECRETS);
            best = Math.min(best, System.nanoTime() - t);
        }
        long loadStart = System.nanoTime();
        Optional<StateStore.LoadedState> loaded = store.load(SECRETS);
        long loadNanos = System.nanoTime() - loadStart;
        System.out.printf("10,000 clients (100 with runtime secrets): save %d ms (file %d KiB), load %d ms%n",
                best / 1_000_000, Files.size(store.currentFile()) / 1024, loadNanos / 1_000_000);
        assertThat(loaded.orElseThrow().state().clients()).hasSize(10_000);
        assertThat(Duration.ofNanos(best)).isLessThan(Duration.ofSeconds(5));
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) if (haystack[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }

    @Test
    void aStateDirectoryServesOneServerAtATime(@TempDir Path base) throws Exception {
        Path dir = base.resolve("state");
        StateStore first = StateStore.prepareExclusive(dir);
        assertThatThrownBy(() -> StateStore.prepareExclusive(dir))
                .isInstanceOf(java.io.IOException.class)
                .hasMessageContaining(dir + " is in use by another Mandos server (PID " + ProcessHandle.current().pid() + ")");
        first.releaseDirectory();
        StateStore.prepareExclusive(dir).releaseDirectory();
    }

    @Test
    void aLockFilePlantedAsASymbolicLinkIsNotFollowed(@TempDir Path base) throws Exception {
        Path dir = java.nio.file.Files.createDirectories(base.resolve("state"));
        Path precious = java.nio.file.Files.writeString(base.resolve("precious"), "keep me");
        java.nio.file.Files.createSymbolicLink(dir.resolve("mandos-java.lock"), precious);
        assertThatThrownBy(() -> StateStore.prepareExclusive(dir)).isInstanceOf(java.io.IOException.class);
        assertThat(java.nio.file.Files.readString(precious)).isEqualTo("keep me");
    }
}
