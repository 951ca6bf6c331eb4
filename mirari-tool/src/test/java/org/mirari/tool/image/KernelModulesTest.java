package org.mirari.tool.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelModulesTest {
    @TempDir
    Path dir;

    /** A stand-in module file: some bytes, then a .modinfo-like run of NUL-separated strings. */
    private Path module(String name, String depends) throws IOException {
        String modinfo = "\0\0license=GPL\0" + (depends == null ? "" : "depends=" + depends + "\0") + "name=" + name
                + "\0vermagic=6.1\0";
        return Files.write(
                dir.resolve("kernel/drivers/" + name + ".ko").toAbsolutePath(),
                ("\u007fELF....." + modinfo).getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void readsDependsFromModinfo() {
        assertThat(KernelModules.depends("\0author=x\0depends=virtio,virtio_ring\0name=virtio_net\0"
                        .getBytes(StandardCharsets.US_ASCII)))
                .containsExactly("virtio", "virtio_ring");
        assertThat(KernelModules.depends("\0depends=\0name=virtio_ring\0".getBytes(StandardCharsets.US_ASCII)))
                .isEmpty();
        // "xdepends=" is another key, not depends=.
        assertThat(KernelModules.depends("\0xdepends=a\0".getBytes(StandardCharsets.US_ASCII)))
                .isEmpty();
    }

    @Test
    void ordersModulesAfterTheirDependencies() throws IOException {
        Files.createDirectories(dir.resolve("kernel/drivers"));
        // The shape of Debian's cloud kernel (recipes): virtio_net needs virtio, virtio_ring and net_failover.
        module("virtio_ring", "");
        module("virtio", "");
        module("virtio_mmio", "virtio,virtio_ring");
        module("failover", "");
        module("net_failover", "failover");
        module("virtio_net", "net_failover,virtio,virtio_ring");
        module("xen-netfront", null);
        var index = KernelModules.index(dir.resolve("kernel"));
        var order = KernelModules.loadOrder(List.of("virtio_mmio", "virtio_net", "xen-netfront"), index).stream()
                .map(p -> p.getFileName().toString())
                .toList();
        assertThat(order)
                .containsExactly(
                        "virtio.ko",
                        "virtio_ring.ko",
                        "virtio_mmio.ko",
                        "failover.ko",
                        "net_failover.ko",
                        "virtio_net.ko",
                        "xen-netfront.ko");
    }

    @Test
    void theImageNamesItsModulesAndTheirDependenciesForModprobe() throws IOException {
        Files.createDirectories(dir.resolve("kernel/drivers"));
        var fs = new Initramfs();
        // depends= spells xen-blkfront's dependency with '_'; the file has '-'. busybox modprobe loads a
        // dependency by the file named in modules.dep, so the line names the file the image holds.
        fs.addFile("/lib/modules/6.1/virtio.ko", 0644, module("virtio", ""));
        fs.addFile("/lib/modules/6.1/virtio_blk.ko", 0644, module("virtio_blk", "virtio,not_in_image"));
        fs.addFile("/lib/modules/6.1/xen-front-lib.ko", 0644, module("xen-front-lib", ""));
        fs.addFile("/lib/modules/6.1/xen-blkfront.ko", 0644, module("xen-blkfront", "xen_front_lib"));
        fs.addText("/lib/modules/6.1/notes.txt", 0644, "not a module\n");
        VmImageBuilder.addModulesDep(fs, "6.1");
        var dep = fs.entries().stream()
                .filter(e -> e.path().equals("/lib/modules/6.1/modules.dep"))
                .map(e -> new String(((InitramfsEntry.RegularFile) e).data(), StandardCharsets.UTF_8))
                .findFirst()
                .orElseThrow();
        assertThat(dep)
                .isEqualTo(
                        "virtio.ko:\nvirtio_blk.ko: virtio.ko\nxen-blkfront.ko: xen-front-lib.ko\nxen-front-lib.ko:\n");
        // An image without modules gets no modules.dep.
        var none = new Initramfs();
        VmImageBuilder.addModulesDep(none, "6.1");
        assertThat(none.entries()).isEmpty();
    }

    @Test
    void reportsMissingModulesAndCycles() throws IOException {
        Files.createDirectories(dir.resolve("kernel/drivers"));
        module("a", "b");
        module("b", "a");
        module("c", "nothere");
        var index = KernelModules.index(dir.resolve("kernel"));
        assertThatThrownBy(() -> KernelModules.loadOrder(List.of("a"), index))
                .hasMessage("kernel module dependency cycle: a -> b -> a");
        assertThatThrownBy(() -> KernelModules.loadOrder(List.of("c"), index))
                .hasMessage("kernel module nothere not found among 3 modules");
    }

    @Test
    void theBuilderAddsTheDriversATargetAsksForAfterTheNetworkOnes() throws IOException {
        Files.createDirectories(dir.resolve("kernel/drivers"));
        var virtio = module("virtio", "");
        var net = module("virtio_net", "virtio");
        module("ena", "");
        var index = KernelModules.index(dir.resolve("kernel"));
        var kernel = new Kernel(dir.resolve("vmlinuz"), java.util.Optional.empty(), List.of(virtio, net), index, "6.1");
        var events = new java.util.ArrayList<org.mirari.tool.event.Event>();
        var builder = new VmImageBuilder(dir, events::add);
        assertThat(builder.modules(kernel, List.of()).stream()
                        .map(p -> p.getFileName().toString())
                        .toList())
                .containsExactly("virtio.ko", "virtio_net.ko");
        assertThat(builder.modules(kernel, List.of("ena")).stream()
                        .map(p -> p.getFileName().toString())
                        .toList())
                .containsExactly("virtio.ko", "virtio_net.ko", "ena.ko");
        assertThat(events).isEmpty();
        // A kernel without the module (a custom one may have it built in): a warning, not a failure.
        assertThat(builder.modules(kernel, List.of("nvme_fancy"))).containsExactly(virtio, net);
        assertThat(events)
                .containsExactly(
                        new org.mirari.tool.event.Event.Warning(
                                "kernel 6.1 has no module nvme_fancy; unless it is built in, the image cannot use that device"));
    }
}
