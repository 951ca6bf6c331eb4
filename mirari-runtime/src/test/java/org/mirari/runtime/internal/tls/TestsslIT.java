package org.mirari.runtime.internal.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirari.runtime.http.Response;
import org.mirari.runtime.internal.http.HttpServer;
import org.mirari.runtime.internal.http.Listener;
import org.mirari.runtime.internal.http.MonotonicClock;
import org.mirari.runtime.internal.http.ServerConfig;

/**
 * testssl.sh against the HTTPS port: no finding of severity MEDIUM or higher. The certificate is
 * issued by a test CA given to testssl.sh ({@code --add-ca}) and names a CRL, as a public CA's
 * do: a self-signed certificate is rated CRITICAL (no chain of trust) and HIGH (no CRL or OCSP URI)
 * whatever the server does, so those two say nothing about it. By default the checks that rate
 * this server: protocols, cipher categories, server defaults (certificate, resumption), and the
 * vulnerabilities that depend on the server's own behaviour (Heartbleed, CCS injection,
 * renegotiation): {@code -p -s -S -H -I -R}, about 40 s on a loaded 2-core machine. With
 * {@code -Dmirari.test.soak=true} the whole {@code -p -s -f -S -U} (forward secrecy and every
 * vulnerability; 91 s there, 43 s idle). The report is printed to the test's output.
 */
class TestsslIT {
    static final Path TESTSSL = Path.of("/usr/bin/testssl");

    @TempDir
    Path tmp;

    @Test
    void noFindingOfMediumOrHigher() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(TESTSSL), "testssl.sh is not installed (apt-get install testssl.sh)");
        var now = Instant.now();
        var ca = SelfSigned.authority("Mirari test CA", now);
        var leaf = ca.issue(List.of("localhost", "127.0.0.1"), now, "http://127.0.0.1/ca.crl");
        Path caFile = Files.writeString(tmp.resolve("ca.pem"), ca.certificatePem());
        Tls tls = Tls.of(List.of(leaf.certificate(), ca.certificate()), leaf.key(), List.of("h2", "http/1.1"));
        var loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        HttpServer server = HttpServer.start(
                List.of(new Listener(loopback, tls.transports(), r -> Response.ok("hello\n"))),
                ServerConfig.defaults(loopback).withLoops(1),
                MonotonicClock.system(),
                System.err);
        try {
            Path json = tmp.resolve("testssl.json");
            var cmd = new ArrayList<>(List.of(
                    TESTSSL.toString(),
                    "--quiet",
                    "--color",
                    "0",
                    "--warnings",
                    "off",
                    "--nodns",
                    "none",
                    "--add-ca",
                    caFile.toString(),
                    "--jsonfile",
                    json.toString(),
                    "-p",
                    "-s",
                    "-S"));
            cmd.addAll(Boolean.getBoolean("mirari.test.soak") ? List.of("-f", "-U") : List.of("-H", "-I", "-R"));
            cmd.add("127.0.0.1:" + server.address().getPort());
            Process p = new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(tmp.resolve("testssl.txt").toFile())
                    .start();
            assertThat(p.waitFor(240, TimeUnit.SECONDS))
                    .as("testssl.sh finished")
                    .isTrue();
            String report = Files.readString(tmp.resolve("testssl.txt"), StandardCharsets.UTF_8);
            System.out.println(report); // the summary, kept in the test output
            var findings = Findings.read(Files.readString(json));
            var serious = findings.stream()
                    .filter(f -> List.of("MEDIUM", "HIGH", "CRITICAL").contains(f.severity()))
                    .toList();
            assertThat(findings).as(report).isNotEmpty();
            assertThat(serious).as(report).isEmpty();
            assertThat(findings).anySatisfy(f -> assertThat(f.id()).isEqualTo("cert_chain_of_trust"));
        } finally {
            server.shutdown(Duration.ofSeconds(2));
        }
    }

    /** The findings of testssl.sh's flat JSON: objects with id, severity and finding. */
    record Findings(String id, String severity, String finding) {
        private static final Pattern OBJECT = Pattern.compile("\\{([^{}]*)\\}");
        private static final Pattern FIELD =
                Pattern.compile("\"(id|severity|finding)\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

        static List<Findings> read(String json) {
            var out = new ArrayList<Findings>();
            var objects = OBJECT.matcher(json);
            while (objects.find()) {
                String id = "", severity = "", finding = "";
                var fields = FIELD.matcher(objects.group(1));
                while (fields.find()) {
                    switch (fields.group(1)) {
                        case "id" -> id = fields.group(2);
                        case "severity" -> severity = fields.group(2);
                        default -> finding = fields.group(2);
                    }
                }
                out.add(new Findings(id, severity, finding));
            }
            return out;
        }
    }
}
