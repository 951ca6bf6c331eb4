package org.mirari.tool.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTPS through the real {@code bin/mirari run} on {@code --socket}: a conf with {@code https-port}
 * and no certificate gets a self-signed one at configure, and curl and the JDK's client, trusting
 * it, get the page and a KV file byte for byte; plain HTTP redirects. One app and one run for the
 * class.
 */
class HttpsIT {
    static final Duration START = Duration.ofSeconds(120);

    @TempDir
    static Path dir;

    static MirariRun run;
    static Path app;
    static byte[] data;
    static int http;
    static int https;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(
                Files.isExecutable(Path.of("/usr/bin/curl")), "curl is not installed (apt-get install curl)");
        app = Files.createDirectories(dir.resolve("tls"));
        Files.createDirectories(app.resolve("files"));
        data = new byte[1024 * 1024 + 7];
        new Random(20).nextBytes(data);
        Files.write(app.resolve("files/data.bin"), data);
        http = MirariRun.freePort();
        https = MirariRun.freePort();
        Files.writeString(
                app.resolve("tls.conf"),
                "main-http: Site.main\nhttp-port: " + http + "\nhttps-port: " + https
                        + "\nhttp-redirect: https\nfs-static: files\n");
        Files.writeString(app.resolve("Site.java"), """
                import org.mirari.runtime.Mirari;
                import org.mirari.runtime.http.Request;
                import org.mirari.runtime.http.Response;

                final class Site {
                    private Site() {}

                    static Response main(Request r) {
                        return r.path().equals("/") ? Response.html("<h1>over TLS</h1>\\n") : Response.kv(Mirari.store("static"), r);
                    }
                }
                """);
        run = MirariRun.start(dir, Map.of(), "run", "--socket", app.toString());
        run.await(l -> l.contains("ready: listening"), START);
    }

    @AfterAll
    static void stop() throws Exception {
        if (run != null) run.close();
    }

    static Path cert() {
        return app.resolve(".mirari/tls/tls.crt");
    }

    static String curl(String... args) throws IOException, InterruptedException {
        var cmd = new ArrayList<>(List.of("curl", "-sS", "--max-time", "20", "--cacert", cert().toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    @Test
    void configureMadeASelfSignedCertificateAndSaidSo() {
        assertThat(run.output())
                .contains("made a self-signed certificate for localhost, 127.0.0.1, 10.0.0.2, for local use")
                .contains("https://127.0.0.1:" + https + "/");
        assertThat(app.resolve(".mirari/tls/tls.key")).isRegularFile();
    }

    @Test
    void curlGetsThePageAndTheKvFileByteForByte() throws Exception {
        assertThat(curl("https://localhost:" + https + "/")).isEqualTo("<h1>over TLS</h1>\n");
        Path got = dir.resolve("got.bin");
        curl("-o", got.toString(), "https://localhost:" + https + "/data.bin");
        assertThat(Files.readAllBytes(got)).isEqualTo(data);
        assertThat(curl(
                        "--tlsv1.2",
                        "--tls-max",
                        "1.2",
                        "-o",
                        "/dev/null",
                        "-w",
                        "%{http_code}",
                        "https://localhost:" + https + "/data.bin"))
                .isEqualTo("200");
    }

    @Test
    void http2ByCurlAndNghttpWithTheMebibyteKvFile() throws Exception {
        assertThat(curl("--http2", "-o", "/dev/null", "-w", "%{http_version}", "https://localhost:" + https + "/"))
                .isEqualTo("2");
        Path got = dir.resolve("h2.bin");
        curl("--http2", "-o", got.toString(), "https://localhost:" + https + "/data.bin");
        assertThat(Files.readAllBytes(got)).isEqualTo(data);
        Assumptions.assumeTrue(
                Files.isExecutable(Path.of("/usr/bin/nghttp")),
                "nghttp is not installed (apt-get install nghttp2-client)");
        Process verbose = new ProcessBuilder("nghttp", "-v", "https://localhost:" + https + "/")
                .redirectErrorStream(true)
                .start();
        String frames = new String(verbose.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(verbose.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(verbose.exitValue()).as(frames).isZero();
        assertThat(frames).contains("recv SETTINGS frame", ":status: 200", "<h1>over TLS</h1>", "send GOAWAY frame");
        Path viaNghttp = dir.resolve("nghttp.bin");
        Process body = new ProcessBuilder("nghttp", "https://localhost:" + https + "/data.bin")
                .redirectOutput(viaNghttp.toFile())
                .start();
        assertThat(body.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(body.exitValue()).isZero();
        assertThat(Files.readAllBytes(viaNghttp)).isEqualTo(data);
    }

    @Test
    void plainHttpIsRedirectedWith308() throws Exception {
        assertThat(curl(
                        "-o",
                        "/dev/null",
                        "-w",
                        "%{http_code} %{redirect_url}",
                        "http://127.0.0.1:" + http + "/data.bin?x=1"))
                .isEqualTo("308 https://127.0.0.1:" + https + "/data.bin?x=1");
        Path got = dir.resolve("followed.bin");
        curl("-L", "-o", got.toString(), "http://localhost:" + http + "/data.bin");
        assertThat(Files.readAllBytes(got)).isEqualTo(data);
    }

    @Test
    void theJdkClientTrustingTheCertificate() throws Exception {
        var cf = CertificateFactory.getInstance("X.509");
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("app", cf.generateCertificate(new ByteArrayInputStream(Files.readAllBytes(cert()))));
        var tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        var ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        try (var client = HttpClient.newBuilder()
                .sslContext(ssl)
                .connectTimeout(Duration.ofSeconds(10))
                .build()) {
            var r = client.send(
                    HttpRequest.newBuilder(URI.create("https://localhost:" + https + "/data.bin"))
                            .timeout(Duration.ofSeconds(20))
                            .build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo(data);
            assertThat(r.sslSession().orElseThrow().getProtocol()).isEqualTo("TLSv1.3");
            assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2); // by ALPN
        }
    }
}
