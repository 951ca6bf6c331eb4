package org.mirari.runtime.internal.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
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

    /**
     * Blocking reads each on a thread of their own: on two cores the common pool has one worker,
     * and a read blocked there would hold up the next one.
     */
    static final Executor OWN_THREAD = r -> Thread.ofVirtual().start(r);

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
        var out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()), OWN_THREAD);
        var err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()), OWN_THREAD);
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
        // one event loop: the idle connection below and the slow request drain on the same one
        Process p = start(List.of("-Dmirari.http.loops=1"), "http", "http-port=" + port);
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

        // an idle keep-alive connection, which the shutdown's drain closes: the sign that it has begun
        var idle = new Socket();
        idle.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
        idle.setSoTimeout(10_000);

        // a request in flight when SIGTERM arrives still gets its answer
        var slow = CompletableFuture.supplyAsync(
                () -> {
                    try {
                        var c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/slow")
                                .toURL()
                                .openConnection();
                        return new Answer(read(c.getInputStream()), c.getHeaderField("Connection"));
                    } catch (IOException e) {
                        return new Answer(e.toString(), null);
                    }
                },
                OWN_THREAD);
        // SIGTERM once the handler runs, not after a guess at how long the request takes to get there
        String handling = CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                return lines.readLine();
                            } catch (IOException e) {
                                return e.toString();
                            }
                        },
                        OWN_THREAD)
                .get(10, TimeUnit.SECONDS);
        assertThat(handling).isEqualTo("slow: handling");
        // SIGTERM through the handle: Process.destroy would also close the child's stdin, which ends the handler
        assertThat(p.toHandle().destroy()).isTrue();
        assertThat(endOfStream(idle)).as("the drain closes the idle connection").isTrue();
        // only now may the handler finish (it waits for a line on its stdin): its answer comes during the drain
        p.getOutputStream().write('\n');
        p.getOutputStream().flush();
        assertThat(slow.get(10, TimeUnit.SECONDS)).isEqualTo(new Answer("finished\n", "close"));
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(143); // 128 + SIGTERM, the JVM's convention
    }

    record Answer(String body, String connection) {}

    /**
     * Whether the server ends {@code s} (within its read timeout): an orderly close, or a reset when
     * the connection was still in the listener's backlog as the listener closed.
     */
    static boolean endOfStream(Socket s) throws IOException {
        try (s) {
            return s.getInputStream().read() == -1;
        } catch (SocketException reset) {
            return true;
        }
    }

    @Test
    void onTheQuickRunPathASignalEnds130AndTheAppsOwnExitKeepsItsCode() throws Exception {
        var quick = List.of("-Dmirari.run.console=normal");
        int port = freePort();
        Process p = start(quick, "http", "http-port=" + port);
        awaitListening(p, port);
        p.destroy();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(130);

        port = freePort();
        p = start(quick, "http", "http-port=" + port);
        awaitListening(p, port);
        try {
            URI.create("http://127.0.0.1:" + port + "/exit")
                    .toURL()
                    .openStream()
                    .close();
        } catch (IOException expected) {
            // the app exits while answering
        }
        // At once: the grace (10 s) is for a stop by signal; the request that asked for the exit is
        // on the exiting thread and could never finish.
        assertThat(p.waitFor(5, TimeUnit.SECONDS))
                .as("the app's own System.exit from a handler does not wait out the grace")
                .isTrue();
        assertThat(p.exitValue()).isEqualTo(7);
    }

    /**
     * Waits for the line the quick path prints on stderr in the tool's place once the app listens
     * on {@code port} (the {@code normal} console; a {@code quiet} one would print none).
     */
    static void awaitListening(Process p, int port) throws Exception {
        var err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
        String line = CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                for (String l; (l = err.readLine()) != null; ) {
                                    if (l.startsWith("mirari: ready: listening")) return l;
                                }
                                return "the app ended without listening";
                            } catch (IOException e) {
                                return e.toString();
                            }
                        },
                        OWN_THREAD)
                .get(30, TimeUnit.SECONDS);
        assertThat(line).startsWith("mirari: ready: listening http://127.0.0.1:" + port + "/ (");
    }

    @Test
    void aBadBootParameterExits2WithTheFix() throws Exception {
        var o = run(List.of(), "http", "http-port=8o");
        assertThat(o.status()).isEqualTo(2);
        assertThat(o.err()).isEqualTo("mirari: boot parameter http-port \"8o\" is not a number; use 1-65535\n");
        assertThat(o.out()).isEmpty();
    }

    @Test
    void aKeyThatIsNotTheCertificatesExits2NamingBoth() throws Exception {
        var one = org.mirari.runtime.internal.tls.SelfSigned.server(List.of("localhost"), java.time.Instant.now());
        var other = org.mirari.runtime.internal.tls.SelfSigned.server(List.of("localhost"), java.time.Instant.now());
        Path cert = Files.writeString(tmp.resolve("c.pem"), one.certificatePem());
        Path key = Files.writeString(tmp.resolve("k.pem"), other.keyPem());
        var o = run(
                List.of(),
                "http",
                "http-port=" + freePort(),
                "https-port=" + freePort(),
                "tls-certificate=" + cert,
                "tls-key=" + key);
        assertThat(o.status()).isEqualTo(2);
        assertThat(o.err())
                .isEqualTo("mirari: " + key + " is not the key of the certificate in " + cert
                        + " (the EC public points differ); give the private key the certificate was issued for\n");
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
    void anIpAppsHealthPortIsOpenFromItsReadinessLineUntilItEnds() throws Exception {
        int health = freePort();
        Process p = start(List.of(), "ip-until-stdin-ends", "health-port=" + health);
        var lines = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        assertThat(lines.readLine()).startsWith("mirari-ready: network address=127.0.0.1 ");
        // The app runs only once the port listens: a connection is accepted, then closed by the runtime.
        assertThat(lines.readLine()).isEqualTo("app runs");
        try (var s = new java.net.Socket("127.0.0.1", health)) {
            assertThat(s.getInputStream().read()).isEqualTo(-1);
        }
        p.getOutputStream().close(); // the app returns
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        assertThatThrownBy(() -> new java.net.Socket("127.0.0.1", health).close())
                .as("closed with the app")
                .isInstanceOf(java.net.ConnectException.class);
    }

    @Test
    void aHealthPortInUseExits1WithTheFix() throws Exception {
        try (var taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            var o = run(List.of(), "noip", "health-port=" + taken.getLocalPort());
            assertThat(o.status()).isEqualTo(1);
            assertThat(o.err())
                    .startsWith("mirari: cannot listen on health-port 127.0.0.1:" + taken.getLocalPort() + ": ")
                    .endsWith("; choose another, e.g. health-port=8099\n");
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
        // the same boot also shows the trace switch: its steps on stderr, in order (without it, every
        // test above that compares the whole stderr sees none)
        var o = run(List.of("-Dmirari.vm=true", "-Dmirari.net=fixed:eth0", "-Dmirari.boot.trace=true"), "ip");
        assertThat(o.out())
                .matches(
                        "(?s)mirari-ready: network address=10\\.0\\.0\\.2 netmask=255\\.255\\.255\\.0 gateway=10\\.0\\.0\\.1 uptime_ms=\\d+ boot_ms=\\d+\n.*");
        assertThat(o.err())
                .matches("(?s)mirari-trace: runtime \\d+\\.\\d ms\nmirari-trace: caller \\d+\\.\\d ms\n"
                        + "mirari-trace: uptime \\d+\\.\\d ms\nmirari-trace: boot clock \\d+\\.\\d ms\n"
                        + "mirari-trace: ready line \\d+\\.\\d ms\n.*");
    }
}
