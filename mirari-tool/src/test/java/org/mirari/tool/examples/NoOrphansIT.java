package org.mirari.tool.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No orphans: when the process that runs an app is killed with SIGKILL (no shutdown hook runs), the
 * app dies with it within seconds, and a tap the run created goes too.
 */
class NoOrphansIT {
    static final Duration START = Duration.ofSeconds(120);
    static final Duration GONE = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    @Test
    void sigkillOfTheToolDuringARunOnSocketTakesTheAppWithIt() throws Exception {
        var app = MirariRun.copyExample("hello", dir);
        int port = MirariRun.freePort();
        // Through the tool's JVM (not the launcher's exec of the app), which is what is killed here.
        try (var run = MirariRun.start(
                dir, Map.of("MIRARI_QUICK_RUN", "0"), "run", "--set", "http-port=" + port, app.toString())) {
            run.await(l -> l.contains("ready: listening"), START);
            var children = run.descendants();
            assertThat(children).isNotEmpty();
            assertThat(answers("127.0.0.1", port)).isTrue();
            run.signal("KILL");
            assertThat(run.exitCode(Duration.ofSeconds(30))).isEqualTo(128 + 9);
            assertGone(children);
            assertThat(answers("127.0.0.1", port)).as("the app still answers").isFalse();
        }
    }

    @Test
    void sigkillOfTheToolDuringARunOnUnixTakesTheAppAndTheTapWithIt() throws Exception {
        String why = !"root".equals(System.getProperty("user.name"))
                ? "needs root for namespaces and taps"
                : !Files.isWritable(Path.of("/dev/net/tun")) ? "/dev/net/tun is not usable" : null;
        if (why != null) System.out.println("NoOrphansIT (unix) skipped: " + why);
        Assumptions.assumeTrue(why == null, why);
        var app = MirariRun.copyExample("hello", dir);
        String id = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        String ns = "mirari-orphan-" + id, tap = "mo" + id;
        exec("ip", "netns", "add", ns);
        try {
            exec("ip", "-n", ns, "link", "set", "lo", "up");
            var cmd = new ArrayList<>(List.of(
                    "ip",
                    "netns",
                    "exec",
                    ns,
                    MirariRun.HOME.resolve("bin/mirari").toString()));
            cmd.addAll(List.of("run", "--unix", "--tap", tap, app.toString()));
            try (var run = MirariRun.start(dir, Map.of(), cmd)) {
                run.await(l -> l.contains("ready: listening"), START);
                var children = run.descendants();
                assertThat(children).isNotEmpty();
                assertThat(exec("ip", "-n", ns, "link", "show", tap)).startsWith("0:");
                assertThat(exec("ip", "netns", "exec", ns, "curl", "-s", "-m", "5", "http://10.0.0.2:8080/"))
                        .startsWith("0:");
                run.signal("KILL");
                assertThat(run.exitCode(Duration.ofSeconds(30))).isEqualTo(128 + 9);
                assertGone(children);
                // The app's exit closed the tap's last file, and the kernel removed the transient tap then.
                assertThat(exec("ip", "-n", ns, "link", "show", tap))
                        .as("the tap is left")
                        .doesNotStartWith("0:");
            }
        } finally {
            exec("ip", "netns", "del", ns);
        }
    }

    /** Each of {@code processes} ends within {@link #GONE}. */
    static void assertGone(List<ProcessHandle> processes) throws Exception {
        for (var p : processes) {
            p.onExit().get(GONE.toSeconds(), TimeUnit.SECONDS);
            assertThat(p.isAlive())
                    .as("process " + p.pid() + " outlived the tool")
                    .isFalse();
        }
    }

    static boolean answers(String host, int port) {
        try (var s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 2000);
            s.setSoTimeout(3000);
            s.getOutputStream()
                    .write("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
            return s.getInputStream().read() >= 0;
        } catch (IOException e) {
            return false;
        }
    }

    static String exec(String... cmd) {
        try {
            var p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            var out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) throw new AssertionError(String.join(" ", cmd) + " did not end");
            return p.exitValue() + ":" + out;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
