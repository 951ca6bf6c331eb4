package org.mirari.runtime.internal.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirari.runtime.BootParameters;
import org.mirari.runtime.internal.tls.SelfSigned;

class TlsSetupTest {
    @TempDir
    Path tmp;

    final ByteArrayOutputStream log = new ByteArrayOutputStream();
    final PrintStream err = new PrintStream(log, true, StandardCharsets.UTF_8);

    @Test
    void aGivenPairIsRead() throws Exception {
        var s = SelfSigned.server(List.of("localhost"), Instant.now());
        Path cert = Files.writeString(tmp.resolve("c.pem"), s.certificatePem());
        Path key = Files.writeString(tmp.resolve("k.pem"), s.keyPem());
        var tls =
                TlsSetup.tls(new BootParameters.Https(8443, cert.toString(), key.toString(), false), "127.0.0.1", err);
        assertThat(tls.suites()).isNotEmpty();
        assertThat(log.toString()).isEmpty();
    }

    @Test
    void anInlineKeyOfAnotherCertificateIsRefusedByItsParameter() {
        var s = SelfSigned.server(List.of("localhost"), Instant.now());
        var other = SelfSigned.server(List.of("localhost"), Instant.now());
        String cert = org.mirari.runtime.internal.tls.Pem.inline(s.certificatePem(), "CERTIFICATE", "c.pem");
        String key = org.mirari.runtime.internal.tls.Pem.inline(other.keyPem(), "PRIVATE KEY", "k.pem");
        assertThatThrownBy(() -> TlsSetup.tls(new BootParameters.Https(8443, cert, key, false), "127.0.0.1", err))
                .hasMessage("the inline tls-key is not the key of the certificate in the inline tls-certificate"
                        + " (the EC public points differ); give the private key the certificate was issued for");
    }

    @Test
    void anInlinePairFromTheKernelCommandLineIsRead() throws Exception {
        var s = SelfSigned.server(List.of("localhost"), Instant.now());
        String cert = org.mirari.runtime.internal.tls.Pem.inline(s.certificatePem(), "CERTIFICATE", "c.pem");
        String key = org.mirari.runtime.internal.tls.Pem.inline(s.keyPem(), "PRIVATE KEY", "k.pem");
        assertThat(cert).startsWith("der:").doesNotContain(" ").doesNotContain("\n");
        var tls = TlsSetup.tls(new BootParameters.Https(8443, cert, key, false), "127.0.0.1", err);
        assertThat(tls.suites()).isNotEmpty();
        assertThat(log.toString()).isEmpty();
        assertThatThrownBy(() -> TlsSetup.tls(new BootParameters.Https(8443, "der:!!", key, false), "127.0.0.1", err))
                .hasMessage("boot parameter tls-certificate: der: is not followed by base64 DER blocks separated by"
                        + " commas; give a PEM file's path");
    }

    @Test
    void configuresSelfSignedPairAbsentInAVmIsMadeAgainAndSaidSo() {
        var https = new BootParameters.Https(
                8443, "/home/u/app/.mirari/tls/app.crt", "/home/u/app/.mirari/tls/app.key", false);
        assertThat(TlsSetup.configuresOwnButAbsent(https)).isTrue();
        TlsSetup.tls(https, "10.0.0.2", err);
        assertThat(log.toString())
                .contains("configure's self-signed certificate) is not on this machine; making one now")
                .contains("serving a self-signed certificate for localhost, 127.0.0.1, 10.0.0.2");
    }

    @Test
    void anyOtherMissingFileIsAnError() {
        var https = new BootParameters.Https(8443, tmp.resolve("missing.pem").toString(), "/k.pem", false);
        assertThat(TlsSetup.configuresOwnButAbsent(https)).isFalse();
        assertThatThrownBy(() -> TlsSetup.tls(https, "127.0.0.1", err))
                .hasMessageContaining("boot parameter tls-certificate: cannot read")
                .hasMessageContaining("give the path of a PEM file, or env:NAME");
    }
}
