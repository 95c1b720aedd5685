package org.mandosjava.cluster.etcd;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
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
import org.mandosjava.testing.CommandResult;
import org.mandosjava.testing.EtcdCluster;
import org.mandosjava.testing.Peers;

/** Mutual TLS to a real etcd that requires client certificates, with a throwaway CA made by openssl. */
class EtcdTlsTest {
    private static final Path OPENSSL = Path.of("/usr/bin/openssl");

    @TempDir
    static Path dir;
    static EtcdCluster etcd;
    static Path ca, clientCert, clientKey, otherCert, otherKey;

    @BeforeAll
    static void startEtcdWithTls() throws Exception {
        Peers.require(OPENSSL, "openssl");
        Path certs = Files.createDirectories(dir.resolve("pki"));
        ca = certs.resolve("ca.crt");
        Path caKey = certs.resolve("ca.key");
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
                caKey.toString(), "-out", ca.toString(), "-days", "2", "-subj", "/CN=mandos-test-ca");
        // The 3.4 gateway dials its own gRPC port with the server certificate, so it must allow clientAuth too.
        Path serverCert = signed(certs, "server", ca, caKey, "subjectAltName=IP:127.0.0.1\n"
                + "extendedKeyUsage=serverAuth,clientAuth\n");
        clientCert = signed(certs, "client", ca, caKey, "extendedKeyUsage=clientAuth\n");
        clientKey = certs.resolve("client.key");
        // A certificate from another CA: etcd must refuse it.
        Path otherCa = certs.resolve("other-ca.crt");
        Path otherCaKey = certs.resolve("other-ca.key");
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
                otherCaKey.toString(), "-out", otherCa.toString(), "-days", "2", "-subj", "/CN=other-ca");
        otherCert = signed(certs, "other", otherCa, otherCaKey, "extendedKeyUsage=clientAuth\n");
        otherKey = certs.resolve("other.key");
        etcd = EtcdCluster.start(dir, 1, new EtcdCluster.Tls(ca, serverCert, certs.resolve("server.key")),
                List.of());
    }

    private static Path signed(Path certs, String name, Path ca, Path caKey, String extensions) throws Exception {
        Path key = certs.resolve(name + ".key");
        Path csr = certs.resolve(name + ".csr");
        Path cert = certs.resolve(name + ".crt");
        Path ext = Files.writeString(certs.resolve(name + ".ext"), extensions);
        openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", key.toString(),
                "-out", csr.toString(), "-subj", "/CN=" + name);
        openssl("x509", "-req", "-in", csr.toString(), "-CA", ca.toString(), "-CAkey", caKey.toString(),
                "-CAcreateserial", "-out", cert.toString(), "-days", "2", "-extfile", ext.toString());
        return cert;
    }

    private static void openssl(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(OPENSSL.toString()));
        cmd.addAll(List.of(args));
        CommandResult.run(cmd, Duration.ofSeconds(30), Map.of()).assertSuccess();
    }

    @AfterAll
    static void stopEtcd() {
        if (etcd != null) etcd.close();
    }

    @Test
    void aClientCertificateFromTheCaWorks() throws Exception {
        try (EtcdClient c = EtcdClient.connect(EtcdClientSettings.of(etcd.endpoints())
                .withTls(ca, clientCert, clientKey))) {
            long rev = c.put("/tls/a".getBytes(UTF_8), "secret".getBytes(UTF_8)).revision();
            assertThat(c.get("/tls/a".getBytes(UTF_8)).first().valueUtf8()).isEqualTo("secret");
            RecordingListener l = new RecordingListener();
            try (Watch w = c.watch(WatchOptions.prefix("/tls/".getBytes(UTF_8), rev), l)) {
                assertThat(l.nextEvent(Duration.ofSeconds(10)).revision()).isEqualTo(rev);
            }
        }
    }

    @Test
    void noOrAForeignClientCertificateIsRefused() throws Exception {
        for (EtcdClientSettings s : List.of(
                EtcdClientSettings.of(etcd.endpoints()).withTls(ca, null, null),
                EtcdClientSettings.of(etcd.endpoints()).withTls(ca, otherCert, otherKey))) {
            try (EtcdClient c = EtcdClient.connect(s.withTimeout(Duration.ofSeconds(3)))) {
                EtcdException e = catchThrowableOfType(EtcdException.class, () -> c.get("/tls/a".getBytes(UTF_8)));
                // Which of the two arrives first (etcd's alert, or its close) is a race under TLS 1.3.
                if (e.kind() == Kind.AUTH) assertThat(e).hasMessageContaining("bad_certificate");
                else assertThat(e).as("kind %s", e.kind()).hasMessageContaining("refuses our client certificate");
            }
        }
    }

    @Test
    void aServerFromAnotherCaIsNotTrusted() throws Exception {
        try (EtcdClient c = EtcdClient.connect(EtcdClientSettings.of(etcd.endpoints())
                .withTls(dir.resolve("pki/other-ca.crt"), clientCert, clientKey).withTimeout(Duration.ofSeconds(3)))) {
            EtcdException e = catchThrowableOfType(EtcdException.class, () -> c.get("/tls/a".getBytes(UTF_8)));
            assertThat(e.kind()).isEqualTo(Kind.AUTH);
            assertThat(e).hasMessageContaining("TLS");
        }
    }

    @Test
    void unusableKeyFilesAreNamed() throws Exception {
        Path pkcs1 = Files.writeString(dir.resolve("old.key"),
                "-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n");
        assertThatThrownBy(() -> EtcdClient.connect(EtcdClientSettings.of(etcd.endpoints())
                .withTls(ca, clientCert, pkcs1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("old.key").hasMessageContaining("openssl pkcs8");
        assertThatThrownBy(() -> EtcdClient.connect(EtcdClientSettings.of(etcd.endpoints())
                .withTls(clientKey, clientCert, clientKey))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("client.key");
    }
}
