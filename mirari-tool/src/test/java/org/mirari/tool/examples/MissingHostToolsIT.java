package org.mirari.tool.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real launcher on a machine that lacks what a backend needs, each fault in the test's own
 * sandbox: a {@code PATH} without {@code ip} (a directory of links to every other program), a tun device
 * that is not there ({@code -Dmirari.tun.device}, as a container without {@code /dev/net/tun}), and
 * an apt that cannot download the kernel (scripts first on {@code PATH}, an empty cache). Each is
 * exit 5 with the whole message, and nothing is made (no tap, no image). Root only: as root,
 * {@code --unix} makes its tap and so needs {@code ip}.
 */
class MissingHostToolsIT {
    static final Duration TIME = Duration.ofMinutes(3);

    @TempDir
    Path dir;

    @Test
    void noIpNoTunDeviceAndNoKernelDownloadAreNamedWithTheirFix() throws Exception {
        String why = !"root".equals(System.getProperty("user.name")) ? "only root makes taps (and so needs ip)" : null;
        if (why != null) System.out.println("MissingHostToolsIT skipped: " + why);
        Assumptions.assumeTrue(why == null, why);
        var app = MirariRun.copyExample("hello", dir);
        var home = Files.createDirectories(dir.resolve("home")).toString();
        var tap = "mt" + Long.toHexString(ProcessHandle.current().pid() & 0xffff);
        try (var tools = PathWithout.programs(dir.resolve("tools"), "ip")) {
            var path = tools.path();
            var noIp = mirari(Map.of("HOME", home, "PATH", path), "run", "-q", "--unix", "--tap", tap, app.toString());
            assertThat(noIp)
                    .isEqualTo("5 mirari: ip (Debian package iproute2) is not on PATH (" + path + "), and --unix"
                            + " needs it to set up the tap " + tap
                            + "; install it (apt-get install iproute2) or add its"
                            + " directory to PATH, or use --socket");
            assertThat(Path.of("/sys/class/net", tap)).as("a tap").doesNotExist();

            var tun = dir.resolve("dev/net/tun");
            var noTun = mirari(
                    Map.of("HOME", home, "MIRARI_JAVA_OPTS", "-Dmirari.tun.device=" + tun),
                    "run",
                    "-q",
                    "--unix",
                    "--tap",
                    tap,
                    app.toString());
            assertThat(noTun)
                    .isEqualTo("5 mirari: " + tun + " does not exist, so --unix cannot open a tap here; load the"
                            + " tun module (sudo modprobe tun), or in a container give it the device (docker run --device"
                            + " /dev/net/tun), or use --socket");
            assertThat(Path.of("/sys/class/net", tap)).as("a tap").doesNotExist();

            var bin = Files.createDirectories(dir.resolve("bin"));
            script(bin.resolve("apt-cache"), """
                case "$1" in
                  depends) echo linux-image-cloud-amd64; echo '  Depends: linux-image-6.1.0-99-cloud-amd64' ;;
                  show) echo 'Package: linux-image-6.1.0-99-cloud-amd64'; echo 'Version: 6.1.999-1' ;;
                esac
                """);
            script(
                    bin.resolve("apt-get"),
                    "echo \"E: Failed to fetch http://deb.debian.org/x.deb  Temporary failure"
                            + " resolving 'deb.debian.org'\"; exit 100\n");
            var cache = dir.resolve("cache");
            var noKernel = mirari(
                    Map.of("HOME", home, "PATH", bin + ":" + path, "MIRARI_CACHE", cache.toString()),
                    "build",
                    "-q",
                    "--qemu",
                    app.toString());
            assertThat(noKernel)
                    .isEqualTo("5 mirari: cannot fetch the guest kernel linux-image-6.1.0-99-cloud-amd64"
                            + " 6.1.999-1: apt-get download linux-image-6.1.0-99-cloud-amd64=6.1.999-1 failed: E: Failed to fetch"
                            + " http://deb.debian.org/x.deb  Temporary failure resolving 'deb.debian.org'; check the network (and"
                            + " apt's proxy), run apt-get update (as root) if the version is gone, or set vm-kernel to a kernel"
                            + " file (bzImage or PVH ELF) or a linux-image-cloud-amd64 .deb");
            assertThat(app.resolve("mir-hello.initrd")).doesNotExist();
            assertThat(Leftovers.temporaries(cache))
                    .as("temporary paths in the cache")
                    .isEmpty();
        }
    }

    /** {@code bin/mirari args} with {@code env}: its exit code and output, as {@code "CODE OUTPUT"}. */
    private String mirari(Map<String, String> env, String... args) throws Exception {
        try (var run = MirariRun.start(dir, env, args)) {
            return run.exitCode(TIME) + " " + run.output();
        }
    }

    private static void script(Path file, String body) throws Exception {
        Files.writeString(file, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
