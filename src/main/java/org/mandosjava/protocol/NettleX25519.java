package org.mandosjava.protocol;

import java.io.IOException;
import java.util.Arrays;
import org.bouncycastle.math.ec.rfc7748.X25519;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.crypto.TlsSecret;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.bouncycastle.tls.crypto.impl.bc.BcX25519;
import org.mandosjava.platform.Nettle;

/**
 * Bouncy Castle's X25519 key exchange with the scalar multiplications done by nettle
 * ({@link Nettle}); the private key, the peer's value and the checks stay as Bouncy Castle keeps
 * them.
 */
final class NettleX25519 extends BcX25519 {
    NettleX25519(BcTlsCrypto crypto) {
        super(crypto);
    }

    @Override
    public byte[] generateEphemeral() {
        X25519.generatePrivateKey(crypto.getSecureRandom(), privateKey);
        byte[] share = new byte[X25519.POINT_SIZE];
        Nettle.x25519Base(share, privateKey);
        return share;
    }

    @Override
    public TlsSecret calculateSecret() throws IOException {
        byte[] shared = new byte[X25519.POINT_SIZE];
        try {
            Nettle.x25519(shared, privateKey, peerPublicKey);
            // RFC 8446 §7.4.2: a peer's low-order point gives the all-zero secret; abort, as Bouncy Castle does.
            if (org.bouncycastle.util.Arrays.areAllZeroes(shared, 0, shared.length)) throw new TlsFatalAlert(AlertDescription.handshake_failure, "X25519 gave the all-zero secret");
            return crypto.createSecret(shared);
        } finally {
            Arrays.fill(privateKey, (byte) 0);
            Arrays.fill(peerPublicKey, (byte) 0);
            Arrays.fill(shared, (byte) 0);
        }
    }
}
