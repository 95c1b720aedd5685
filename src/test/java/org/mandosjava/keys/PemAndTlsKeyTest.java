package org.mandosjava.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mandosjava.protocol.KeyId;

class PemAndTlsKeyTest {
    /** Spec §14: the observed tls-pubkey.pem and its key_id. */
    static final String VECTOR_PEM = """
            -----BEGIN PUBLIC KEY-----
            MCowBQYDK2VwAyEAMwl8qmRVmd8nf9E2oyF/RrPw/GgxwL5h/dZeeqCyasE=
            -----END PUBLIC KEY-----
            """;
    static final String VECTOR_KEY_ID = "E912FDD27D3DBECA166C142D40A8FEDBE81E066EC7639825E2BD4B388E856753";

    @TempDir Path tmp;

    @Test
    void keyIdOfTheSpecVectorFile() throws IOException {
        Path file = tmp.resolve("tls-pubkey.pem");
        Files.writeString(file, VECTOR_PEM);

        byte[] spki = TlsKeyPair.readPublicKey(file);

        assertThat(spki).hasSize(44);
        assertThat(KeyId.of(spki)).isEqualTo(VECTOR_KEY_ID);
        assertThat(Files.size(file)).isEqualTo(113); // the size mandos-keygen's file has
    }

    @Test
    void pemEncodingIsWhatCerttoolWrites() {
        byte[] spki = Base64.getDecoder().decode("MCowBQYDK2VwAyEAMwl8qmRVmd8nf9E2oyF/RrPw/GgxwL5h/dZeeqCyasE=");

        assertThat(Pem.encode(Pem.PUBLIC_KEY, spki)).isEqualTo(VECTOR_PEM);
    }

    @Test
    void longPemBodiesWrapAt64Columns() {
        byte[] der = new byte[100];
        String pem = Pem.encode(Pem.PRIVATE_KEY, der);

        assertThat(pem.lines().toList()).hasSize(5);
        assertThat(pem.lines().skip(1).findFirst().orElseThrow()).hasSize(64);
        assertThat(Pem.decode(Pem.PRIVATE_KEY, "some text before\n" + pem + "and after")).isEqualTo(der);
    }

    @Test
    void pemWithoutTheWantedBlockIsRejected() {
        assertThatThrownBy(() -> Pem.decode(Pem.PRIVATE_KEY, VECTOR_PEM))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PRIVATE KEY");
        assertThatThrownBy(() -> Pem.decode(Pem.PUBLIC_KEY, "-----BEGIN PUBLIC KEY-----\n!!!\n-----END PUBLIC KEY-----"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("base64");
    }

    @Test
    void generatedPairHasMandosKeygenSizesAndReadsBack() throws IOException {
        TlsKeyPair pair = TlsKeyPair.generateEd25519();
        Path pub = tmp.resolve("tls-pubkey.pem");
        Path priv = tmp.resolve("tls-privkey.pem");
        Files.writeString(pub, pair.publicKeyPem());
        Files.writeString(priv, pair.privateKeyPem());

        TlsKeyPair read = TlsKeyPair.read(pub, priv);

        assertThat(Files.size(pub)).isEqualTo(113);
        assertThat(Files.size(priv)).isEqualTo(119);
        assertThat(pair.privateKeyPem()).startsWith("-----BEGIN PRIVATE KEY-----\n");
        assertThat(read.keyId()).isEqualTo(pair.keyId()).matches("[0-9A-F]{64}");
        assertThat(read.subjectPublicKeyInfo()).isEqualTo(pair.subjectPublicKeyInfo());
    }

    @Test
    void publicKeyOfAnotherPairIsRejected() throws IOException {
        Path pub = tmp.resolve("tls-pubkey.pem");
        Path priv = tmp.resolve("tls-privkey.pem");
        Files.writeString(pub, VECTOR_PEM);
        Files.writeString(priv, TlsKeyPair.generateEd25519().privateKeyPem());

        assertThatThrownBy(() -> TlsKeyPair.read(pub, priv)).isInstanceOf(IOException.class)
                .hasMessageContaining("does not belong");
    }

    @Test
    void backupsAreNumberedLikeCpBackupNumbered() throws IOException {
        Path file = tmp.resolve("seckey.txt");
        Files.writeString(file, "one");
        KeyDirectory.writePrivately(file, "two".getBytes());
        KeyDirectory.writePrivately(file, "three".getBytes());

        assertThat(Files.readString(file)).isEqualTo("three");
        assertThat(Files.readString(tmp.resolve("seckey.txt.~1~"))).isEqualTo("one");
        assertThat(Files.readString(tmp.resolve("seckey.txt.~2~"))).isEqualTo("two");
        assertThat(Files.getPosixFilePermissions(file)).containsExactlyInAnyOrder(
                java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
    }
}
