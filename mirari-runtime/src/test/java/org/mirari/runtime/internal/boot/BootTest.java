package org.mirari.runtime.internal.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirari.runtime.internal.kv.KvPackWriter;

/** The boot sequence in real child JVMs: readiness lines, exit codes, messages, SIGTERM. */
class BootTest {
    @TempDir
    Path tmp;

    Path kv;
    final List<Process> started = new ArrayList<>();

    @BeforeEach
    void pack() throws IOException {
        Path files = Files.createDirectories(tmp.resolve("files"));
        Files.writeString(files.resolve("greeting.txt"), "hello from the store");
        Files.writeString(files.resolve("index.html"), "<p>home</p>\n");
        kv = tmp.resolve("kv");
        KvPackWriter.pack(files, kv.resolve("static.kv"));
    }

    @AfterEach
    void reap() {
        for (Process p : started) {
            p.destroyForcibly();
        }
    }

    Process start(List<String> jvmOptions, String... args) throws IOException {
        var cmd = new ArrayList<String>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.add("-cp");
        cmd.add(Path.of("target/classes").toAbsolutePath()
                + java.io.File.pathSeparator
                + Path.of("target/test-classes").toAbsolutePath());
        cmd.add("-Dmirari.kv.dir=" + kv);
        cmd.addAll(jvmOptions);
        cmd.add(TestApps.class.getName());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).start();
        started.add(p);
        return p;
    }

    record Outcome(int status, String out, String err) {}

    Outcome run(List<String> jvmOptions, String... args) throws Exception {
        Process p = start(jvmOptions, args);
        var out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
        var err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Outcome(p.exitValue(), out.get(), err.get());
    }

    static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return e.toString();
        }
    }

    static int freePort() throws IOException {
        try (var s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void httpAppReportsReadinessServesAndStopsOnSigterm() throws Exception {
        int port = freePort();
        Process p = start(List.of(), "http", "http-port=" + port);
        var lines = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        assertThat(lines.readLine())
                .matches("mirari-ready: network address=127\\.0\\.0\\.1 netmask=255\\.0\\.0\\.0 uptime_ms=\\d+");
        assertThat(lines.readLine())
                .matches("mirari-ready: listening url=http://127\\.0\\.0\\.1:" + port + "/ uptime_ms=\\d+");

        var home = (HttpURLConnection)
                URI.create("http://127.0.0.1:" + port + "/").toURL().openConnection();
        assertThat(home.getResponseCode()).isEqualTo(200);
        assertThat(read(home.getInputStream())).isEqualTo("<p>home</p>\n");
        assertThat(home.getHeaderField("Content-Type")).isEqualTo("text/html; charset=utf-8");

        // a request in flight when SIGTERM arrives still gets its answer
        var slow = CompletableFuture.supplyAsync(() -> {
            try {
                return read(
                        URI.create("http://127.0.0.1:" + port + "/slow").toURL().openStream());
            } catch (IOException e) {
                return e.toString();
            }
        });
        // SIGTERM once the handler runs, not after a guess at how long the request takes to get there
        String handling = CompletableFuture.supplyAsync(() -> {
                    try {
                        return lines.readLine();
                    } catch (IOException e) {
                        return e.toString();
                    }
                })
                .get(10, TimeUnit.SECONDS);
        assertThat(handling).isEqualTo("slow: handling");
        p.destroy();
        assertThat(slow.get(10, TimeUnit.SECONDS)).isEqualTo("finished\n");
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(143); // 128 + SIGTERM, the JVM's convention
    }

    @Test
    void onTheQuickRunPathASignalEnds130AndTheAppsOwnExitKeepsItsCode() throws Exception {
        var quick = List.of("-Dmirari.run.console=quiet");
        int port = freePort();
        Process p = start(quick, "http", "http-port=" + port);
        awaitListening(port);
        p.destroy();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(130);

        port = freePort();
        p = start(quick, "http", "http-port=" + port);
        awaitListening(port);
        try {
            URI.create("http://127.0.0.1:" + port + "/exit")
                    .toURL()
                    .openStream()
                    .close();
        } catch (IOException expected) {
            // the app exits while answering
        }
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(7);
    }

    /** Waits until the app accepts connections on {@code port} (quiet mode prints no ready line). */
    static void awaitListening(int port) throws Exception {
        for (int i = 0; i < 400; i++) {
            try (var probe = new java.net.Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(25);
            }
        }
        throw new AssertionError("the app never listened on " + port);
    }

    @Test
    void aBadBootParameterExits2WithTheFix() throws Exception {
        var o = run(List.of(), "http", "http-port=8o");
        assertThat(o.status()).isEqualTo(2);
        assertThat(o.err()).isEqualTo("mirari: boot parameter http-port \"8o\" is not a number; use 1-65535\n");
        assertThat(o.out()).isEmpty();
    }

    @Test
    void aPortInUseExits1WithTheFix() throws Exception {
        try (var taken = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            var o = run(List.of(), "http", "http-port=" + taken.getLocalPort());
            assertThat(o.status()).isEqualTo(1);
            assertThat(o.err())
                    .isEqualTo("mirari: cannot listen on 127.0.0.1:" + taken.getLocalPort()
                            + ": Address already in use; choose another port, e.g. http-port=8080\n");
        }
    }

    @Test
    void noipRunsAloneAndExits0() throws Exception {
        var o = run(List.of(), "noip");
        assertThat(o.status()).isZero();
        assertThat(o.out()).isEqualTo("hello from the store\n");
        assertThat(o.err()).isEmpty();
    }

    @Test
    void anAppExceptionPrintsTheStackTraceAndExits1() throws Exception {
        var o = run(List.of(), "noip-fails");
        assertThat(o.status()).isEqualTo(1);
        assertThat(o.err())
                .startsWith("mirari: the app failed:\njava.lang.IllegalStateException: broken on purpose\n\tat ");
    }

    @Test
    void aMissingStoreExits1AndSaysWhy() throws Exception {
        Files.delete(kv.resolve("static.kv"));
        var o = run(List.of(), "noip");
        assertThat(o.status()).isEqualTo(1);
        assertThat(o.err())
                .isEqualTo(
                        "mirari: no KV store static (" + kv.resolve("static.kv")
                                + " is missing); declare fs-static in the conf and run mirari configure, or set -Dmirari.kv.dir\n");
    }

    @Test
    void aNetworkProviderIsFoundByScheme() throws Exception {
        var o = run(
                List.of("-Dmirari.net=fixed:tap7"),
                "ip",
                "ip-address=10.1.2.3",
                "ip-netmask=255.255.0.0",
                "ip-gateway=10.1.0.1");
        assertThat(o.status()).isZero();
        assertThat(o.out())
                .matches(
                        "mirari-ready: network address=10\\.1\\.2\\.3 netmask=255\\.255\\.0\\.0 gateway=10\\.1\\.0\\.1 uptime_ms=\\d+\n"
                                + "app got tap7 10\\.1\\.2\\.3 00:16:3e:00:00:01\n");
    }

    @Test
    void anUnknownNetworkSchemeExits1WithTheFix() throws Exception {
        var o = run(List.of("-Dmirari.net=tap:tap0"), "ip");
        assertThat(o.status()).isEqualTo(1);
        assertThat(o.err())
                .isEqualTo(
                        "mirari: no network provider for mirari.net=tap:tap0; put mirari-net on the class path (mirari build --unix does)\n");
    }

    @Test
    void bootMsIsAddedInAVm() throws Exception {
        var o = run(List.of("-Dmirari.vm=true", "-Dmirari.net=fixed:eth0"), "ip");
        assertThat(o.out())
                .matches(
                        "(?s)mirari-ready: network address=10\\.0\\.0\\.2 netmask=255\\.255\\.255\\.0 gateway=10\\.0\\.0\\.1 uptime_ms=\\d+ boot_ms=\\d+\n.*");
    }
}
