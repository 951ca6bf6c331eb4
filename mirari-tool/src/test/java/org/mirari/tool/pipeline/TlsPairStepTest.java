package org.mirari.tool.pipeline;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirari.runtime.internal.tls.SelfSigned;
import org.mirari.tool.config.Config;
import org.mirari.tool.config.ConfigParser;
import org.mirari.tool.error.ConfigException;

class TlsPairStepTest {
    @TempDir
    Path app;

    static final SelfSigned ONE = SelfSigned.server(List.of("localhost"), Instant.now());
    static final SelfSigned OTHER = SelfSigned.server(List.of("localhost"), Instant.now());

    Config conf(String cert, String key) throws Exception {
        return new ConfigParser(app.resolve("app.conf"), "app.conf")
                .parse(
                        ("main-http: D.m\nhttps-port: 8443\ntls-certificate: " + cert + "\ntls-key: " + key + "\n")
                                .getBytes(StandardCharsets.UTF_8),
                        List.of());
    }

    /** A conf naming c.pem and k.pem, written with these texts. */
    Config files(String certFile, String keyFile) throws Exception {
        Files.writeString(app.resolve("c.pem"), certFile);
        Files.writeString(app.resolve("k.pem"), keyFile);
        return conf("c.pem", "k.pem");
    }

    @Test
    void aCertificateWithItsOwnKeyPasses() throws Exception {
        var config = files(ONE.certificatePem(), ONE.keyPem());
        assertThatCode(() -> TlsPairStep.run(config, app)).doesNotThrowAnyException();
    }

    @Test
    void anotherKeyIsAConfigErrorAtTheKeysLine() throws Exception {
        var config = files(ONE.certificatePem(), OTHER.keyPem());
        assertThatThrownBy(() -> TlsPairStep.run(config, app))
                .isInstanceOf(ConfigException.class)
                .hasMessage("app.conf:4:10: tls-key k.pem is not the key of the certificate in c.pem"
                        + " (the EC public points differ); give the private key the certificate was issued for");
    }

    @Test
    void filesThatHoldNoCertificateOrKeyAreEachReported() throws Exception {
        var config = files(ONE.keyPem(), ONE.certificatePem());
        assertThatThrownBy(() -> TlsPairStep.run(config, app))
                .isInstanceOf(ConfigException.class)
                .hasMessage(
                        "app.conf:3:18: tls-certificate c.pem holds no PEM certificate (-----BEGIN CERTIFICATE-----);"
                                + " give the certificate chain, leaf first\n"
                                + "app.conf:4:10: tls-key k.pem holds no PKCS #8 private key; give an unencrypted PKCS #8 key"
                                + " (-----BEGIN PRIVATE KEY-----)");
    }

    @Test
    void pemInTheEnvironmentIsLeftToTheAppsStart() throws Exception {
        Files.writeString(app.resolve("c.pem"), ONE.certificatePem());
        assertThatCode(() -> TlsPairStep.run(conf("c.pem", "env:TLS_KEY"), app)).doesNotThrowAnyException();
    }
}
