package org.mirari.runtime.internal.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyMatchTest {
    static final SelfSigned ONE = SelfSigned.server(List.of("localhost"), Instant.now());
    static final SelfSigned OTHER = SelfSigned.server(List.of("localhost"), Instant.now());

    static KeyPair pair(String alg, Object param) throws Exception {
        var g = KeyPairGenerator.getInstance(alg);
        switch (param) {
            case Integer bits -> g.initialize(bits);
            case String curve -> g.initialize(new ECGenParameterSpec(curve));
            case null, default -> {}
        }
        return g.generateKeyPair();
    }

    @Test
    void aCertificatesOwnKeyPasses() {
        assertThatCode(() -> KeyMatch.check(ONE.certificate(), ONE.key(), "c.pem", "k.pem"))
                .doesNotThrowAnyException();
    }

    @Test
    void anotherEcKeyIsRefusedNamingBothFiles() {
        assertThatThrownBy(() -> KeyMatch.check(ONE.certificate(), OTHER.key(), "/etc/c.pem", "/etc/k.pem"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("/etc/k.pem is not the key of the certificate in /etc/c.pem (the EC public points differ);"
                        + " give the private key the certificate was issued for");
    }

    @Test
    void eachKeyTypeIsComparedWithItsOwnKind() throws Exception {
        // 512-bit RSA keeps the test fast (the JDK still makes such keys); the check reads only the modulus and
        // exponent
        KeyPair rsa = pair("RSA", 512), rsa2 = pair("RSA", 512);
        KeyPair ed = pair("Ed25519", null), ed2 = pair("Ed25519", null);
        KeyPair p384 = pair("EC", "secp384r1");
        KeyPair p256 = new KeyPair(ONE.certificate().getPublicKey(), ONE.key());
        assertThat(KeyMatch.mismatch(rsa.getPublic(), rsa.getPrivate())).isNull();
        assertThat(KeyMatch.mismatch(rsa.getPublic(), rsa2.getPrivate())).isEqualTo("the RSA moduli differ");
        assertThat(KeyMatch.mismatch(ed.getPublic(), ed.getPrivate())).isNull();
        assertThat(KeyMatch.mismatch(ed.getPublic(), ed2.getPrivate()))
                .isEqualTo("a signature made with the key does not verify with the certificate's");
        assertThat(KeyMatch.mismatch(p384.getPublic(), p384.getPrivate())).isNull();
        assertThat(KeyMatch.mismatch(p256.getPublic(), p384.getPrivate()))
                .isEqualTo("the key and the certificate are on different curves");
        assertThat(KeyMatch.mismatch(rsa.getPublic(), p256.getPrivate()))
                .isEqualTo("an EC key for a certificate with an RSA key");
        assertThat(KeyMatch.mismatch(p256.getPublic(), ed.getPrivate()))
                .isEqualTo("an EdDSA key for a certificate with an EC key");
    }
}
