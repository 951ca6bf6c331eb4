package org.mirari.tool.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirari.tool.error.BackendException;
import org.mirari.tool.event.Event;
import org.mirari.tool.event.EventSink;
import org.mirari.tool.hosttool.HostTools;

/**
 * The default kernel cannot be fetched: no apt at all, apt without its package lists, and an
 * {@code apt-get download} that fails (no network). Each fails with exit 5 naming what is missing
 * and the fix, leaves nothing in the cache, and a kernel fetched earlier is used instead, with a warning.
 * apt is played by scripts on a PATH of the test's own.
 */
class KernelFetchTest {
    @TempDir
    Path tmp;

    Path bin;
    Path cache;
    EventSink.Recording events = new EventSink.Recording();

    KernelCache cacheOn(Path path) {
        return new KernelCache(cache, HostTools.onPath(path.toString()), events);
    }

    void script(String name, String body) throws Exception {
        var f = Files.writeString(bin.resolve(name), "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    void setUp() throws Exception {
        bin = Files.createDirectories(tmp.resolve("bin"));
        cache = tmp.resolve("cache");
    }

    void aptKnowsTheKernel() throws Exception {
        script("apt-cache", """
                case "$1" in
                  depends) echo linux-image-cloud-amd64; echo '  Depends: linux-image-6.1.0-99-cloud-amd64' ;;
                  show) echo 'Package: linux-image-6.1.0-99-cloud-amd64'; echo 'Version: 6.1.999-1' ;;
                esac
                """);
    }

    @Test
    void noAptAtAll() throws Exception {
        setUp();
        assertThatThrownBy(() -> cacheOn(bin).kernel(Optional.empty()))
                .isInstanceOf(BackendException.class)
                .hasMessage("no guest kernel: apt-cache (Debian package apt) is not on PATH (" + bin + "), so the"
                        + " default kernel, Debian's linux-image-cloud-amd64, cannot be fetched, and none is cached;"
                        + " set vm-kernel to a kernel file (bzImage or PVH ELF), a kernel .deb, or a directory with"
                        + " boot/vmlinuz-* and lib/modules/");
    }

    @Test
    void aptWithoutItsPackageLists() throws Exception {
        setUp();
        script("apt-cache", "echo 'E: No packages found' >&2; exit 100\n");
        assertThatThrownBy(() -> cacheOn(bin).kernel(Optional.empty()))
                .isInstanceOf(BackendException.class)
                .hasMessage("no guest kernel: apt-cache does not know linux-image-cloud-amd64 here (E: No packages"
                        + " found: its package lists are missing or lack it) and none is cached; run apt-get update"
                        + " (as root), or set vm-kernel to a kernel file (bzImage or PVH ELF) or a"
                        + " linux-image-cloud-amd64 .deb");
    }

    @Test
    void aDownloadThatFailsNamesThePackageAndTheFixAndLeavesNothing() throws Exception {
        setUp();
        aptKnowsTheKernel();
        script("apt-get", """
                echo 'partial' > linux-image-6.1.0-99-cloud-amd64_6.1.999-1_amd64.deb.part
                echo "E: Failed to fetch http://deb.debian.org/debian/pool/main/l/linux/x.deb  Temporary failure resolving 'deb.debian.org'"
                exit 100
                """);
        assertThatThrownBy(() -> cacheOn(bin).kernel(Optional.empty()))
                .isInstanceOf(BackendException.class)
                .hasMessage("cannot fetch the guest kernel linux-image-6.1.0-99-cloud-amd64 6.1.999-1: apt-get download"
                        + " linux-image-6.1.0-99-cloud-amd64=6.1.999-1 failed: E: Failed to fetch"
                        + " http://deb.debian.org/debian/pool/main/l/linux/x.deb  Temporary failure resolving"
                        + " 'deb.debian.org'; check the network (and apt's proxy), run apt-get update (as root) if the"
                        + " version is gone, or set vm-kernel to a kernel file (bzImage or PVH ELF) or a"
                        + " linux-image-cloud-amd64 .deb");
        try (Stream<Path> left = Files.list(cache.resolve("kernels"))) {
            assertThat(left).as("the download directory is removed").isEmpty();
        }
    }

    @Test
    void theDownloadIsABarOfTheFilesBytesAgainstTheIndexsSize() throws Exception {
        setUp();
        script("apt-cache", """
                case "$1" in
                  depends) echo '  Depends: linux-image-6.1.0-99-cloud-amd64' ;;
                  show) printf 'Package: linux-image-6.1.0-99-cloud-amd64\nVersion: 6.1.999-1\nSize: 3000\n' ;;
                esac
                """);
        // The whole file arrives, then apt fails: what it wrote is the bar's last figure.
        script("apt-get", "head -c 3000 /dev/zero > linux-image-6.1.0-99-cloud-amd64_6.1.999-1_amd64.deb; exit 100\n");
        assertThatThrownBy(() -> cacheOn(bin).kernel(Optional.empty())).isInstanceOf(BackendException.class);
        var bar = events.events().stream()
                .filter(e -> e instanceof Event.Progress)
                .map(Event.Progress.class::cast)
                .toList();
        assertThat(bar).isNotEmpty().allMatch(p -> p.total() == 3000 && p.step().equals("image"));
        assertThat(bar.getLast())
                .isEqualTo(
                        new Event.Progress("image", "kernel linux-image-6.1.0-99-cloud-amd64 6.1.999-1", 3000, 3000));
    }

    @Test
    void withoutTheNetworkAKernelFetchedEarlierIsUsedWithAWarning() throws Exception {
        setUp();
        aptKnowsTheKernel();
        script("apt-get", "echo 'E: Failed to fetch http://deb.debian.org/x.deb  Network is unreachable'; exit 100\n");
        // An earlier kernel in the cache, as a fetch of another version would have left it.
        var file = Files.write(tmp.resolve("vmlinuz"), new byte[] {1, 2, 3});
        var earlier = cacheOn(bin).kernel(Optional.of(file));
        var byPackage = Files.createDirectories(cache.resolve("kernels/by-package"));
        Files.writeString(byPackage.resolve("linux-image-6.1.0-98-cloud-amd64_6.1.998-1"), KernelCache.sha256(file));

        var used = cacheOn(bin).kernel(Optional.empty());
        assertThat(used.bootable()).isEqualTo(earlier.bootable());
        assertThat(events.events())
                .contains(new Event.Warning("apt-get download linux-image-6.1.0-99-cloud-amd64=6.1.999-1 failed: E:"
                        + " Failed to fetch http://deb.debian.org/x.deb  Network is unreachable; using the kernel"
                        + " cached earlier (" + earlier.release() + ")"));
    }
}
