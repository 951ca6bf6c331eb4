package org.mirari.tool.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The EC2 guest's user-data client ({@code user-data.sh}, sourced by the init) against the
 * stand-in metadata service {@code run --ec2} gives QEMU ({@code bin/mirari-imds}), both under
 * busybox on the host: busybox's {@code nc -ll -e} serves each connection on a loopback port with
 * the stand-in, as QEMU's guestfwd does in a VM. The boot under OVMF ({@code Ec2IT}) does it for real.
 */
class UserDataScriptTest {
    static final Path HOME =
            Path.of(System.getProperty("mirari.home", "..")).toAbsolutePath().normalize();
    static final Path BUSYBOX = Path.of("/bin/busybox");
    static final Path IMDS = HOME.resolve("bin/mirari-imds");

    @TempDir
    Path dir;

    Process server;
    int port;

    @BeforeEach
    void needsBusybox() {
        Assumptions.assumeTrue(Files.isExecutable(BUSYBOX), "busybox is not installed");
    }

    @AfterEach
    void stopServer() throws InterruptedException {
        if (server != null) {
            server.destroy();
            server.waitFor(10, TimeUnit.SECONDS);
        }
    }

    static int freePort() throws IOException {
        try (var s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Serves the stand-in with {@code args} (its token, then the user data) on a loopback port. */
    void serve(String... args) throws Exception {
        port = freePort();
        var cmd = new ArrayList<>(List.of(BUSYBOX.toString(), "nc", "-ll", "-p", Integer.toString(port), "-e"));
        cmd.addAll(List.of("/bin/sh", IMDS.toString()));
        cmd.addAll(List.of(args));
        server = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try (var s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                assertThat(server.isAlive()).as("busybox nc -ll runs").isTrue();
                assertThat(System.nanoTime())
                        .as("the stand-in listens within 10 s")
                        .isLessThan(deadline);
                Thread.onSpinWait();
            }
        }
    }

    record Result(String console, String userArgs) {}

    /** Sources the guest's script as the init does, then prints what it leaves in $userargs. */
    Result client() throws Exception {
        Path script = dir.resolve("user-data.sh");
        try (InputStream in = UserDataScriptTest.class.getResourceAsStream("user-data.sh")) {
            Files.write(script, in.readAllBytes());
        }
        var pb = new ProcessBuilder(
                BUSYBOX.toString(), "sh", "-c", "bb=/bin/busybox; . " + script + "; echo \"userargs=[$userargs]\"");
        pb.environment().put("MIRARI_IMDS", "127.0.0.1");
        pb.environment().put("MIRARI_IMDS_PORT", Integer.toString(port));
        pb.environment().put("MIRARI_RUN_DIR", dir.toString());
        var p = pb.redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        int at = out.lastIndexOf("userargs=[");
        assertThat(at).as(out).isNotNegative();
        return new Result(
                out.substring(0, at).strip(),
                out.substring(at + 10, out.lastIndexOf(']')).strip());
    }

    @Test
    void theUserDatasParametersAreAppliedAndItsIpKeysIgnored() throws Exception {
        serve("tok-1", "http-port=9090", "ip-use-dhcp=true", "ip-address=10.0.0.2", "http-address=*");
        var r = client();
        assertThat(r.userArgs()).isEqualTo("http-port=9090 http-address=*");
        assertThat(r.console())
                .isEqualTo("mirari-vm: user-data applied from 127.0.0.1 (IMDSv2): http-port=9090 http-address=*"
                        + " (ignored, the network came first: ip-use-dhcp ip-address)");
    }

    @Test
    void noUserDataLeavesTheBuiltInParameters() throws Exception {
        serve("tok-2");
        var r = client();
        assertThat(r.userArgs()).isEmpty();
        assertThat(r.console())
                .isEqualTo("mirari-vm: user-data none: the instance has no user data;"
                        + " the disk's built-in boot-time parameters apply");
    }

    @Test
    void noMetadataServiceIsSaidAndTheWaitIsBounded() throws Exception {
        port = freePort(); // nothing listens there
        long t0 = System.nanoTime();
        var r = client();
        assertThat(r.userArgs()).isEmpty();
        assertThat(r.console())
                .isEqualTo("mirari-vm: user-data none: no instance metadata service answered at 127.0.0.1;"
                        + " the disk's built-in boot-time parameters apply");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
    }

    /** What the stand-in answers to one raw request. */
    static String ask(String request, String... args) throws Exception {
        var cmd = new ArrayList<>(List.of("/bin/sh", IMDS.toString()));
        cmd.addAll(List.of(args));
        var p = new ProcessBuilder(cmd).start();
        try (var in = p.getOutputStream()) {
            in.write(request.getBytes(StandardCharsets.US_ASCII));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    @Test
    void theStandInWantsImdsV2sTokenAndItsLifetime() throws Exception {
        assertThat(ask("PUT /latest/api/token HTTP/1.1\r\nHost: x\r\n\r\n", "tok"))
                .startsWith("HTTP/1.1 400 Bad Request\r\n");
        assertThat(ask("PUT /latest/api/token HTTP/1.1\r\nX-aws-ec2-metadata-token-ttl-seconds: 21601\r\n\r\n", "tok"))
                .startsWith("HTTP/1.1 400 ");
        assertThat(ask("PUT /latest/api/token HTTP/1.1\r\nx-AWS-ec2-metadata-token-ttl-seconds: 60\r\n\r\n", "tok"))
                .isEqualTo("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n"
                        + "Connection: close\r\n\r\ntok");
        assertThat(ask("GET /latest/user-data HTTP/1.1\r\n\r\n", "tok", "a=b")).startsWith("HTTP/1.1 401 ");
        assertThat(ask("GET /latest/user-data HTTP/1.1\r\nX-aws-ec2-metadata-token: other\r\n\r\n", "tok", "a=b"))
                .startsWith("HTTP/1.1 401 ");
        assertThat(ask("GET /latest/user-data HTTP/1.1\r\nX-aws-ec2-metadata-token: tok\r\n\r\n", "tok", "a=b"))
                .endsWith("Content-Length: 4\r\nConnection: close\r\n\r\na=b\n");
        assertThat(ask("GET /latest/meta-data/ HTTP/1.1\r\nX-aws-ec2-metadata-token: tok\r\n\r\n", "tok"))
                .startsWith("HTTP/1.1 404 ");
        assertThat(ask("POST /latest/api/token HTTP/1.1\r\n\r\n", "tok")).startsWith("HTTP/1.1 405 ");
    }
}
