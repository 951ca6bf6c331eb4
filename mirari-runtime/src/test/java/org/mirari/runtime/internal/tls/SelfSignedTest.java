package org.mirari.runtime.internal.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The DER written by hand must be a certificate the JDK reads, verifies and trusts for its names. */
class SelfSignedTest {
    static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

    @Test
    void aServerCertificateForItsNames() throws Exception {
        var s = SelfSigned.server(List.of("localhost", "127.0.0.1"), NOW);
        var c = s.certificate();
        c.verify(c.getPublicKey()); // signed by its own key
        c.checkValidity(java.util.Date.from(NOW));
        assertThat(c.getVersion()).isEqualTo(3);
        assertThat(c.getSubjectX500Principal().getName()).isEqualTo("CN=localhost");
        assertThat(c.getSubjectAlternativeNames())
                .extracting(l -> (Object) l.get(1))
                .containsExactly("localhost", "127.0.0.1");
        assertThat(c.getBasicConstraints()).isEqualTo(-1); // not a CA
        assertThat(c.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        assertThat(c.getKeyUsage()[0]).isTrue(); // digitalSignature
        assertThat(c.getNotAfter().toInstant()).isAfter(NOW.plusSeconds(364L * 86400));
        assertThat(c.getCriticalExtensionOIDs()).containsExactlyInAnyOrder("2.5.29.19", "2.5.29.15");
    }

    @Test
    void theCaIssuesAndItsCertificateVerifiesTheServers() throws Exception {
        var ca = SelfSigned.authority("Mirari test CA", NOW);
        assertThat(ca.certificate().getBasicConstraints()).isGreaterThanOrEqualTo(0);
        var leaf = ca.issue(List.of("localhost"), NOW, "http://ca.example/ca.crl");
        leaf.certificate().verify(ca.certificate().getPublicKey());
        assertThat(leaf.certificate().getIssuerX500Principal())
                .isEqualTo(ca.certificate().getSubjectX500Principal());
    }

    @Test
    void pemRoundTrip() {
        var s = SelfSigned.server(List.of("localhost"), NOW);
        assertThat(Pem.certificates(s.certificatePem(), "cert.pem")).containsExactly(s.certificate());
        assertThat(Pem.privateKey(s.keyPem(), "key.pem").getEncoded())
                .isEqualTo(s.key().getEncoded());
    }

    @Test
    void pemErrorsSayWhatToGive() {
        assertThatThrownBy(() -> Pem.certificates("nothing", "cert.pem"))
                .hasMessage(
                        "cert.pem holds no PEM certificate (-----BEGIN CERTIFICATE-----); give the certificate chain, leaf first");
        assertThatThrownBy(() -> Pem.privateKey(
                        "-----BEGIN EC PRIVATE KEY-----\nAA==\n-----END EC PRIVATE KEY-----\n", "key.pem"))
                .hasMessageContaining("openssl pkcs8 -topk8 -nocrypt");
    }

    @Test
    void derLengthsAndOids() {
        assertThat(Der.oid("1.2.840.10045.4.3.2"))
                .containsExactly(0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02);
        assertThat(Der.octets(new byte[200])).startsWith(0x04, 0x81, 200);
        assertThat(Der.octets(new byte[300])).startsWith(0x04, 0x82, 0x01, 0x2c);
    }
}
