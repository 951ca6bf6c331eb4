package org.mirari.tool.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mirari.tool.examples.HostCommands.exec;
import static org.mirari.tool.examples.HostCommands.sh;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/mirari run --unix} of the HTTP examples: the app's runtime HTTP server runs on
 * Mirari's own TCP through the tap, and {@code curl} on the host side of the tap (in a fresh
 * network namespace) gets the pages and the KV files byte for byte, with a static address and
 * with DHCP, and a KV file over TLS.
 */
@Timeout(300)
class UnixHttpIT {
    static final Duration START = Duration.ofSeconds(180);

    @TempDir
    Path dir;

    String ns, tap;

    /** Why this machine cannot run the test, or null: root, a usable tun device, curl. */
    static String unavailable() {
        if (!"root".equals(System.getProperty("user.name"))) return "needs root for namespaces and taps";
        for (var need : List.of(Path.of("/dev/net/tun"), Path.of("/usr/bin/curl"))) {
            if (!Files.isWritable(need) && !Files.isExecutable(need)) return need + " is not usable";
        }
        return null;
    }

    @BeforeEach
    void setUp() throws Exception {
        String why = unavailable();
        if (why != null) System.out.println("UnixHttpIT skipped: " + why);
        Assumptions.assumeTrue(why == null, why);
        String id = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        ns = "mirari-http-" + id;
        tap = "mh" + id;
        for (var cmd : List.of(List.of("ip", "netns", "add", ns), List.of("ip", "-n", ns, "link", "set", "lo", "up"))) {
            sh(cmd.toArray(String[]::new));
        }
    }

    @AfterEach
    void tearDown() throws Exception {
        if (ns != null) exec("ip", "netns", "del", ns);
    }

    String inNs(String... cmd) throws IOException, InterruptedException {
        return HostCommands.inNs(ns, cmd);
    }

    MirariRun runUnix(Path cwd, String... args) throws IOException {
        var cmd = new ArrayList<>(List.of(
                "ip",
                "netns",
                "exec",
                ns,
                MirariRun.HOME.resolve("bin/mirari").toString(),
                "run",
                "--unix",
                "--tap",
                tap));
        cmd.addAll(List.of(args));
        return MirariRun.start(cwd, Map.of(), cmd);
    }

    /** {@code curl} in the namespace; the body goes to {@code out}. Returns "status size". */
    String curl(String url, Path out) throws Exception {
        return inNs("curl", "-sS", "-m", "10", "-o", out.toString(), "-w", "%{http_code} %{size_download}", url);
    }

    @Test
    void helloAnswersCurlOverTheTapWithAStaticAddress() throws Exception {
        var app = MirariRun.copyExample("hello", dir);
        try (var run = runUnix(dir, app.toString())) {
            assertThat(run.await(l -> l.contains("ready: listening"), START)).contains("http://10.0.0.2:8080/");
            var body = dir.resolve("body");
            assertThat(curl("http://10.0.0.2:8080/from-the-host", body)).isEqualTo("0:200 48");
            assertThat(Files.readString(body)).isEqualTo("Hello from Mirari! You asked for /from-the-host\n");
            // keep-alive: several requests on one connection
            var many = inNs(
                    "curl",
                    "-sS",
                    "-m",
                    "10",
                    "http://10.0.0.2:8080/a",
                    "http://10.0.0.2:8080/b",
                    "http://10.0.0.2:8080/c");
            assertThat(many)
                    .isEqualTo(
                            "0:Hello from Mirari! You asked for /a\nHello from Mirari! You asked for /b\nHello from Mirari! You asked for /c\n");
            run.signal("TERM");
            assertThat(run.exitCode(Duration.ofSeconds(30))).isEqualTo(130);
        }
    }

    void seedServesItsPagesAndFilesByteForByte(Path root, String address) throws Exception {
        var body = dir.resolve("body");
        assertThat(curl("http://" + address + "/hello/seed", body)).startsWith("0:200 ");
        assertThat(Files.readString(body)).contains("<h1>Hello, seed</h1>", "served by Dispatch.main for seed");
        for (var file : List.of("css/site.css", "about.txt")) {
            var got = dir.resolve("got-" + file.replace('/', '-'));
            assertThat(curl("http://" + address + "/" + file, got)).startsWith("0:200 ");
            assertThat(Files.readAllBytes(got))
                    .as(file)
                    .isEqualTo(Files.readAllBytes(root.resolve("files").resolve(file)));
        }
        assertThat(curl("http://" + address + "/missing.txt", body)).startsWith("0:404 ");
        // a range of a KV file, and a conditional GET
        var range = inNs("curl", "-sS", "-m", "10", "-r", "0-9", "http://" + address + "/about.txt");
        var about = Files.readAllBytes(root.resolve("files/about.txt"));
        assertThat(range).isEqualTo("0:" + new String(about, 0, 10, StandardCharsets.UTF_8));
    }

    /** The same run also serves HTTPS over Mirari's TCP, with a certificate given as a boot-time parameter. */
    @Test
    void seedWithAStaticAddress() throws Exception {
        var root = MirariRun.copyExample("seed", dir);
        var pair = org.mirari.runtime.internal.tls.SelfSigned.server(List.of("10.0.0.9"), java.time.Instant.now());
        Path cert = Files.writeString(dir.resolve("seed.crt"), pair.certificatePem());
        Path key = Files.writeString(dir.resolve("seed.key"), pair.keyPem());
        try (var run = runUnix(
                root.resolve("app"),
                "--set",
                "ip-use-dhcp=false",
                "--set",
                "ip-address=10.0.0.9",
                "--set",
                "https-port=8443",
                "--set",
                "tls-certificate=" + cert,
                "--set",
                "tls-key=" + key)) {
            assertThat(run.await(l -> l.contains("ready: listening"), START))
                    .contains("10.0.0.9")
                    .contains("https://10.0.0.9:8443/");
            seedServesItsPagesAndFilesByteForByte(root, "10.0.0.9");
            var got = dir.resolve("tls-about.txt");
            assertThat(inNs(
                            "curl",
                            "-sS",
                            "-m",
                            "20",
                            "--cacert",
                            cert.toString(),
                            "-o",
                            got.toString(),
                            "-w",
                            "%{http_code} %{ssl_verify_result}",
                            "https://10.0.0.9:8443/about.txt"))
                    .isEqualTo("0:200 0");
            assertThat(Files.readAllBytes(got)).isEqualTo(Files.readAllBytes(root.resolve("files/about.txt")));
        }
    }

    @Test
    void seedWithDhcpAsItsConfAsks() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/sbin/dnsmasq")), "dnsmasq is not installed");
        var root = MirariRun.copyExample("seed", dir);
        assertThat(Files.readString(root.resolve("app/app.conf"))).contains("ip-use-dhcp: true");
        try (var run = runUnix(root.resolve("app"))) {
            run.await(l -> l.contains("answers DHCP on " + tap), START);
            var net = run.await(l -> l.contains("ready: network"), START);
            var address = net.replaceAll(".*ready: network (\\S+) .*", "$1");
            run.await(l -> l.contains("ready: listening"), START);
            seedServesItsPagesAndFilesByteForByte(root, address);
        }
    }
}
