package org.mirari.runtime.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirari.runtime.http.Response;

/**
 * A slowloris attack by Debian's {@code slowhttptest} (RFC 9112 leaves the defence to servers):
 * 2,000 connections that each send an unfinished head, a line every two seconds. The server stays
 * available to a probe throughout, and every slow connection is closed at the head timeout (here
 * 5 s) although it keeps sending. Bounded: the attack ends when the last connection is closed, or
 * after 30 s.
 */
class SlowlorisIT {
    private static final int CONNECTIONS = 2000;
    private static final int RATE = 500;
    private static final Duration HEAD_TIMEOUT = Duration.ofSeconds(5);

    /** One second of slowhttptest's statistics. */
    record Second(int seconds, int closed, int pending, int connected, boolean available) {}

    @Test
    void slowConnectionsAreClosedAtTheHeadTimeoutAndTheServiceStaysAvailable(@TempDir Path tmp) throws Exception {
        Path tool = Path.of("/usr/bin/slowhttptest");
        if (!Files.isExecutable(tool)) {
            System.out.println("SlowlorisIT skipped: slowhttptest is not installed (apt-get install slowhttptest)");
        }
        Assumptions.assumeTrue(
                Files.isExecutable(tool), "slowhttptest is not installed (apt-get install slowhttptest)");
        var config = ServerConfig.defaults(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .withLoops(1)
                .withTimeouts(Duration.ofSeconds(60), HEAD_TIMEOUT, Duration.ofSeconds(30), Duration.ofSeconds(30));
        try (var server = new TestServer(r -> Response.ok("hello\n"), config)) {
            String url = "http://127.0.0.1:" + server.address().getPort() + "/hello";
            var cmd = List.of(
                    tool.toString(),
                    "-H",
                    "-c",
                    "" + CONNECTIONS,
                    "-r",
                    "" + RATE,
                    "-i",
                    "2",
                    "-x",
                    "16",
                    "-p",
                    "2",
                    "-l",
                    "30",
                    "-g",
                    "-o",
                    tmp.resolve("slow").toString(),
                    "-u",
                    url);
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(tmp.resolve("slow.log").toFile())
                    .start();
            assertThat(p.waitFor(60, TimeUnit.SECONDS))
                    .as("slowhttptest ends within its 30 s")
                    .isTrue();
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            String log = Files.readString(tmp.resolve("slow.log"), StandardCharsets.UTF_8);
            List<Second> stats = read(tmp.resolve("slow.csv"));
            String summary = summary(stats);
            System.out.println("SlowlorisIT: slowhttptest took " + took.toMillis() + " ms; " + summary);
            assertThat(stats).as(log).isNotEmpty();
            assertThat(stats).as("service available every second: " + summary).allMatch(Second::available);
            int peak = stats.stream().mapToInt(Second::connected).max().orElse(0);
            assertThat(peak)
                    .as("the attack held many connections at once: " + summary)
                    .isGreaterThanOrEqualTo(CONNECTIONS / 2);
            // Each connection is closed HEAD_TIMEOUT after its first bytes, give or take the
            // server's 1 s sweep and slowhttptest's once-a-second bookkeeping: so by HEAD_TIMEOUT + 2 s
            // after the second by which (nearly) all were open, none is left.
            int opened = stats.stream()
                    .filter(s -> s.closed() + s.connected() >= CONNECTIONS * 95 / 100)
                    .mapToInt(Second::seconds)
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("never all open: " + summary));
            long bound = opened + HEAD_TIMEOUT.toSeconds() + 2;
            for (Second s : stats) {
                if (s.seconds() < HEAD_TIMEOUT.toSeconds() - 1) {
                    assertThat(s.closed())
                            .as("nothing is closed before the head timeout: %s", summary)
                            .isZero();
                }
                if (s.seconds() > bound) {
                    assertThat(s.connected())
                            .as("at %d s: %s", s.seconds(), summary)
                            .isZero();
                }
            }
            // slowhttptest stops before its 30 s when no connection is left open: the server closed them all.
            assertThat(took)
                    .as("no slow connection outlives the head timeout: " + summary + "\n" + log)
                    .isLessThan(Duration.ofSeconds(bound + 3));
            try (var c = server.client()) {
                assertThat(c.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
                                .read()
                                .status())
                        .isEqualTo(200);
                long deadline =
                        System.nanoTime() + TimeUnit.SECONDS.toNanos(10); // lingering ones see the attacker's close
                while (server.server.connections() > 1 && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
                assertThat(server.server.connections())
                        .as("only this client is left")
                        .isEqualTo(1);
            }
        }
    }

    /**
     * slowhttptest's CSV: {@code Seconds,Closed,Pending,Connected,Service Available}, the last
     * being 0 in a second when its probe got no answer in time.
     */
    private static List<Second> read(Path csv) throws IOException {
        var list = new ArrayList<Second>();
        for (String line : Files.readAllLines(csv, StandardCharsets.UTF_8)) {
            String[] f = line.split(",");
            if (f.length < 5 || !f[0].strip().matches("\\d+")) {
                continue;
            }
            list.add(new Second(
                    Integer.parseInt(f[0].strip()),
                    Integer.parseInt(f[1].strip()),
                    Integer.parseInt(f[2].strip()),
                    Integer.parseInt(f[3].strip()),
                    !f[4].strip().equals("0")));
        }
        return list;
    }

    private static String summary(List<Second> stats) {
        var b = new StringBuilder("seconds/closed/pending/connected/available:");
        for (Second s : stats) {
            b.append(' ')
                    .append(s.seconds())
                    .append('/')
                    .append(s.closed())
                    .append('/')
                    .append(s.pending())
                    .append('/')
                    .append(s.connected())
                    .append('/')
                    .append(s.available() ? "yes" : "NO");
        }
        return b.toString();
    }
}
