package org.mandosjava.cluster.etcd;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mandosjava.cluster.etcd.EtcdException.Kind;
import org.mandosjava.testing.EtcdCluster;
import org.mandosjava.testing.Peers;

/**
 * User/password authentication and etcd's role-based access, set up with the real etcdctl the way
 * docs/cluster-etcd.md tells an operator to: a "mandos" user may read and write under /mandos/ only.
 */
class EtcdAuthTest {
    @TempDir
    static Path dir;
    static EtcdCluster etcd;

    @BeforeAll
    static void startEtcdWithAuth() throws Exception {
        Peers.require(EtcdCluster.ETCDCTL, "etcd-client");
        // Short-lived tokens, so a test can see one expire and be renewed.
        etcd = EtcdCluster.start(dir, 1, null, List.of("--auth-token", "simple", "--auth-token-ttl", "1"));
        for (List<String> args : List.of(
                List.of("user", "add", "root", "--new-user-password=root-secret"),
                List.of("user", "grant-role", "root", "root"),
                List.of("role", "add", "mandos"),
                List.of("role", "grant-permission", "mandos", "--prefix=true", "readwrite", "/mandos/"),
                List.of("user", "add", "mandos", "--new-user-password=right password"),
                List.of("user", "grant-role", "mandos", "mandos"),
                List.of("auth", "enable"))) {
            etcd.etcdctl(0, args, Map.of()).assertSuccess();
        }
    }

    @AfterAll
    static void stopEtcd() {
        if (etcd != null) etcd.close();
    }

    private static EtcdClientSettings as(String user, String password) throws Exception {
        Path file = Files.writeString(Files.createTempFile(dir, "password", ""), password + "\n");
        return EtcdClientSettings.of(etcd.endpoints()).withTimeout(Duration.ofSeconds(3)).withUser(user, file);
    }

    @Test
    void theRightPasswordWorksWithinTheUsersPrefix() throws Exception {
        try (EtcdClient c = EtcdClient.connect(as("mandos", "right password"))) {
            c.put("/mandos/x".getBytes(UTF_8), "1".getBytes(UTF_8));
            assertThat(c.get("/mandos/x".getBytes(UTF_8)).first().valueUtf8()).isEqualTo("1");
            RecordingListener l = new RecordingListener();
            long from = c.put("/mandos/y".getBytes(UTF_8), "2".getBytes(UTF_8)).revision();
            try (Watch w = c.watch(WatchOptions.prefix("/mandos/".getBytes(UTF_8), from), l)) {
                assertThat(l.nextEvent(Duration.ofSeconds(10)).kv().keyUtf8()).isEqualTo("/mandos/y");
            }
            EtcdException denied = catchThrowableOfType(EtcdException.class,
                    () -> c.put("/other/x".getBytes(UTF_8), "1".getBytes(UTF_8)));
            assertThat(denied.kind()).isEqualTo(Kind.AUTH);
            assertThat(denied).hasMessageContaining("permission denied");
        }
    }

    @Test
    void anExpiredTokenIsRenewedWithoutTheCallerNoticing() throws Exception {
        try (EtcdClient c = EtcdClient.connect(as("mandos", "right password"))) {
            c.put("/mandos/t".getBytes(UTF_8), "1".getBytes(UTF_8));
            // Idle past the token's one-second TTL (etcd checks it about once a second).
            Thread.sleep(3000);
            c.put("/mandos/t".getBytes(UTF_8), "2".getBytes(UTF_8));
            assertThat(c.get("/mandos/t".getBytes(UTF_8)).first().valueUtf8()).isEqualTo("2");
            assertThat(c.authentications()).as("the first token expired and a second was obtained").isEqualTo(2);
        }
    }

    @Test
    void aWrongPasswordIsAnAuthErrorAtConnect() throws Exception {
        EtcdException e = catchThrowableOfType(EtcdException.class,
                () -> EtcdClient.connect(as("mandos", "wrong password")));
        assertThat(e.kind()).isEqualTo(Kind.AUTH);
        assertThat(e).hasMessageContaining("authentication failed").hasMessageNotContaining("wrong password");
    }

    @Test
    void withoutCredentialsCallsAreRefused() throws Exception {
        try (EtcdClient c = EtcdClient.connect(EtcdClientSettings.of(etcd.endpoints()))) {
            EtcdException e = catchThrowableOfType(EtcdException.class, () -> c.get("/mandos/x".getBytes(UTF_8)));
            assertThat(e.kind()).isEqualTo(Kind.AUTH);
        }
    }
}
