package org.mirari.tool.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirari.runtime.internal.tls.Pem;
import org.mirari.tool.config.ConfigParser;
import org.mirari.tool.event.Event;

class SelfSignedStepTest {
    @TempDir
    Path app;

    @Test
    void madeOnceKeptWhileValidMadeAgainNearItsEnd() throws Exception {
        var config = new ConfigParser(app.resolve("app.conf"), "app.conf")
                .parse("main-http: D.m\nhttps-port: 8443\n".getBytes(StandardCharsets.UTF_8), List.of());
        var events = new ArrayList<Event>();
        Instant now = Instant.parse("2026-12-01T12:00:00Z");
        SelfSignedStep.run(config, app, events::add, now);
        Path cert = app.resolve(".mirari/tls/app.crt");
        Path key = app.resolve(".mirari/tls/app.key");
        assertThat(Files.getPosixFilePermissions(key)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        var c = Pem.certificates(Files.readString(cert), "cert").getFirst();
        assertThat(c.getSubjectAlternativeNames())
                .extracting(l -> (Object) l.get(1))
                .contains("localhost", "127.0.0.1");
        Pem.privateKey(Files.readString(key), "key");
        assertThat(events)
                .singleElement()
                .asString()
                .contains(
                        "made a self-signed certificate for localhost, 127.0.0.1, 10.0.0.2, for local use: .mirari/tls/app.crt");
        String first = Files.readString(cert);
        SelfSignedStep.run(config, app, events::add, now.plus(Duration.ofDays(300)));
        assertThat(Files.readString(cert)).isEqualTo(first);
        assertThat(events).hasSize(1);
        SelfSignedStep.run(config, app, events::add, now.plus(Duration.ofDays(340)));
        assertThat(Files.readString(cert)).isNotEqualTo(first);
        assertThat(events).hasSize(2);
    }
}
