package org.mirari.tool.vm;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code --ec2} target end to end through {@code bin/mirari}: examples/hello's UEFI disk built
 * twice (the same SHA-256), its GPT as {@code sgdisk} reads it, and one boot under QEMU with OVMF
 * (TCG here) that takes its HTTP port from EC2 user data (IMDSv2) and answers through the forward;
 * without the firmware, {@code run} is exit 5 with what to install.
 */
class Ec2IT {
    static final Duration BUILD = Duration.ofMinutes(5);
    static final Duration BOOT = Duration.ofMinutes(4);

    @TempDir
    static Path dir;

    @BeforeAll
    static void needsQemuAndOvmf() {
        Assumptions.assumeTrue(
                Files.isExecutable(Path.of("/usr/bin/qemu-system-x86_64")), "qemu-system-x86_64 is not installed");
        Assumptions.assumeTrue(Files.isRegularFile(Path.of("/usr/share/ovmf/OVMF.fd")), "ovmf is not installed");
        Assumptions.assumeTrue(
                Files.isRegularFile(Path.of("/usr/lib/systemd/boot/efi/linuxx64.efi.stub")),
                "systemd-boot-efi is not installed");
    }

    static String sha256(Path f) throws Exception {
        var md = MessageDigest.getInstance("SHA-256");
        try (var in = Files.newInputStream(f)) {
            byte[] buf = new byte[1 << 20];
            for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    static String run(String... command) throws Exception {
        var p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        return out;
    }

    @Test
    void helloDiskIsReproducibleHasAnEspAndBootsUnderOvmf() throws Exception {
        Path a = Mirari.copyTree(Mirari.HOME.resolve("examples/hello"), dir.resolve("a/hello"));
        Path b = Mirari.copyTree(Mirari.HOME.resolve("examples/hello"), dir.resolve("b/hello"));
        long t0 = System.nanoTime();
        try (var build = Mirari.start(dir, "build", "--ec2", a.toString())) {
            assertThat(build.await(BUILD)).as(build.output()).isZero();
            assertThat(build.output())
                    .containsPattern(
                            "mir-hello\\.disk\\.raw: 1 GiB GPT disk \\(sparse\\), \\d+ MiB EFI system partition, "
                                    + "unified kernel image [0-9.]+ MB");
        }
        long t1 = System.nanoTime();
        try (var build = Mirari.start(dir, "build", "--ec2", b.toString())) {
            assertThat(build.await(BUILD)).as(build.output()).isZero();
        }
        long t2 = System.nanoTime();
        Path disk = a.resolve("mir-hello.disk.raw");
        assertThat(Files.size(disk)).isEqualTo(1L << 30);
        assertThat(sha256(b.resolve("mir-hello.disk.raw"))).isEqualTo(sha256(disk));
        if (Files.isExecutable(Path.of("/usr/sbin/sgdisk")) || Files.isExecutable(Path.of("/sbin/sgdisk"))) {
            assertThat(run("sgdisk", "-p", disk.toString()))
                    .containsPattern("\\n\\s+1\\s+2048\\s+\\d+\\s+[0-9.]+ MiB\\s+EF00\\s+EFI System Partition");
        }

        // Without OVMF (a path that is not there): exit 5 naming it and the fix; the boot below shows the disk intact.
        Path noFirmware = dir.resolve("no-ovmf/OVMF.fd");
        try (var run = Mirari.start(
                dir,
                java.util.Map.of("MIRARI_JAVA_OPTS", "-Dmirari.ovmf=" + noFirmware),
                java.util.List.of(),
                "run",
                "-q",
                "--ec2",
                a.toString())) {
            assertThat(run.await(BUILD)).as(run.output()).isEqualTo(5);
            assertThat(run.output())
                    .isEqualTo("mirari: " + noFirmware + " is missing: the --ec2 disk needs UEFI firmware to boot"
                            + " under QEMU; install it (Debian: apt-get install ovmf) or set MIRARI_OVMF to the"
                            + " firmware file (OVMF.fd)");
        }

        // The boot-time parameter reaches the guest as EC2 user data: run --ec2's stand-in metadata
        // service (IMDSv2 at 169.254.169.254, through QEMU's guestfwd) serves it, the init reads it
        // after DHCP, and the app listens on 9090 where the disk's built-in command line says 8080.
        int port = QemuIT.freePort();
        long t3 = System.nanoTime();
        try (var run =
                Mirari.start(dir, "run", "--ec2", "--set", "http-port=9090", "-p", port + ":9090", a.toString())) {
            String ready = run.await(l -> l.contains("ready: listening"), BOOT);
            long t4 = System.nanoTime();
            assertThat(ready).contains("http://127.0.0.1:" + port + "/").contains(":9090");
            assertThat(run.output())
                    .contains("booting: QEMU q35 with OVMF (UEFI), ")
                    .contains("user data: applied from 169.254.169.254 (IMDSv2): http-port=9090\n")
                    // DHCP by default on this target, on a user network laid out like EC2's link-local one.
                    .containsPattern("ready: network 169\\.254\\.169\\.15 netmask 255\\.255\\.255\\.0"
                            + " gateway 169\\.254\\.169\\.1");
            var http = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();
            var r = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/greet"))
                            .timeout(Duration.ofSeconds(20))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("Hello from Mirari! You asked for /greet\n");
            assertThat(run.stop()).isEqualTo(130);
            System.out.printf(
                    "Ec2IT: build %.1f s, second build %.1f s, boot to listening %.1f s (load %s)%n",
                    (t1 - t0) / 1e9,
                    (t2 - t1) / 1e9,
                    (t4 - t3) / 1e9,
                    Files.readString(Path.of("/proc/loadavg")).strip());
        }
        assertThat(ProcessHandle.allProcesses()
                        .filter(p -> p.info().commandLine().orElse("").contains(disk.toString())))
                .as("no QEMU left behind")
                .isEmpty();
    }
}
