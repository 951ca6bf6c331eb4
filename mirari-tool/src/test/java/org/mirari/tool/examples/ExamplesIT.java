package org.mirari.tool.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each example through the real {@code bin/mirari run}, checked with an HTTP or UDP client. */
class ExamplesIT {
    static final Duration START = Duration.ofSeconds(120);
    final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    HttpResponse<String> get(String url) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void helloServesItsGreetingAndANewPortNeedsNoRebuild() throws Exception {
        var app = MirariRun.copyExample("hello", dir);
        int port = MirariRun.freePort();
        try (var run = MirariRun.start(dir, Map.of(), "run", "--set", "http-port=" + port, app.toString())) {
            run.await(l -> l.contains("ready: listening"), START);
            var r = get("http://127.0.0.1:" + port + "/greet");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("Hello from Mirari! You asked for /greet\n");
            assertThat(run.output()).contains("mirari: compile: ");
        }
        // Another port is a boot-time parameter: same build. The second run with the same command
        // line takes the lean path, and a changed source is noticed by it.
        int other = MirariRun.freePort();
        for (int i = 0; i < 2; i++) {
            try (var run = MirariRun.start(
                    dir,
                    Map.of("MIRARI_DEBUG", "1"),
                    "run",
                    "--socket",
                    "--set",
                    "http-port=" + other,
                    app.toString())) {
                run.await(l -> l.contains("ready: listening"), START);
                assertThat(get("http://127.0.0.1:" + other + "/").statusCode()).isEqualTo(200);
                assertThat(run.output()).contains("build: up to date").doesNotContain("compile: ");
                if (i == 1) assertThat(run.output()).contains("quick run: nothing changed since the last run");
            }
        }
        var source = app.resolve("Hello.java");
        Files.writeString(source, Files.readString(source).replace("Hello from Mirari!", "Changed!"));
        try (var run = MirariRun.start(
                dir, Map.of("MIRARI_DEBUG", "1"), "run", "--socket", "--set", "http-port=" + other, app.toString())) {
            run.await(l -> l.contains("ready: listening"), START);
            assertThat(get("http://127.0.0.1:" + other + "/x").body()).isEqualTo("Changed! You asked for /x\n");
            assertThat(run.output()).contains("Hello.java changed", "compile: ");
        }
    }

    @Test
    void seedServesStaticFilesAndRendersItsTemplate() throws Exception {
        var root = MirariRun.copyExample("seed", dir);
        int port = MirariRun.freePort();
        try (var run = MirariRun.start(root.resolve("app"), Map.of(), "run", "--set", "http-port=" + port)) {
            run.await(l -> l.contains("ready: listening"), START);
            var page = get("http://127.0.0.1:" + port + "/hello/seed");
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("content-type"))
                    .hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
            assertThat(page.body()).contains("<h1>Hello, seed</h1>", "served by Dispatch.main for seed");
            var css = get("http://127.0.0.1:" + port + "/css/site.css");
            assertThat(css.statusCode()).isEqualTo(200);
            assertThat(css.body()).contains("font-family");
            assertThat(css.headers().firstValue("etag")).isPresent();
            assertThat(get("http://127.0.0.1:" + port + "/missing.txt").statusCode())
                    .isEqualTo(404);
        }
        assertThat(root.resolve("app/mir-app")).isExecutable();
    }

    @Test
    void pingEchoesUdp() throws Exception {
        var app = MirariRun.copyExample("ping", dir);
        int port = MirariRun.freePort();
        try (var run = MirariRun.start(dir, Map.of("PING_PORT", Integer.toString(port)), "run", app.toString())) {
            // "ping: echoing UDP on /192.0.2.2:7007 (eth0)": on host sockets, the host's interface.
            UdpEcho.answers(run.await(l -> l.startsWith("ping: echoing UDP on "), START), "echoing UDP on ", port);
        }
    }

    @Test
    void noipPrintsItsLineAndExitsZero() throws Exception {
        var app = MirariRun.copyExample("noip", dir);
        try (var run = MirariRun.start(dir, Map.of(), "run", app.toString())) {
            assertThat(run.exitCode(START)).as(run.output()).isZero();
            assertThat(run.output()).contains("Mirari says hello from a KV store.");
        }
    }
}
