package org.mirari.tool.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QemuCommandKeyTest {
    @Test
    void theKeyFollowsTheImageAndTheKernelCommandLineButNotTheHostPortOrRun(@TempDir Path dir) throws Exception {
        var qemu = Files.writeString(dir.resolve("qemu-system-x86_64"), "qemu 7.2");
        var kernel = Files.writeString(dir.resolve("mir-app.vmlinuz"), "kernel");
        var initrd = Files.writeString(dir.resolve("mir-app.initrd"), "initrd one");
        var appDisk = Files.writeString(dir.resolve("mir-app.app.sqfs"), "app one");
        var files = new LinkedHashMap<String, Path>();
        files.put("kernel", kernel);
        files.put("initrd", initrd);
        files.put("disk 0", appDisk);
        var store = new SnapshotStore(dir.resolve("snapshots"));
        var run1 = dir.resolve("mirari-qemu-1");
        var run2 = dir.resolve("mirari-qemu-2");
        BiFunction<Path, String, List<String>> command = (run, append) -> List.of(
                qemu.toString(),
                "-M",
                "microvm,accel=tcg",
                "-kernel",
                kernel.toString(),
                "-initrd",
                initrd.toString(),
                "-append",
                append,
                "-qmp",
                "unix:" + run + "/qmp.sock,server=on,wait=off");
        String line = "console=ttyS0 MIRARI_RESTORE=ttyS1 -- http-port=8080";
        var key = QemuCommandKey.of(command.apply(run1, line), qemu, "tcg", files, run1, store);
        // Another run (its sockets elsewhere; host ports are never on this command line): the same key.
        assertThat(QemuCommandKey.of(command.apply(run2, line), qemu, "tcg", files, run2, store))
                .isEqualTo(key);
        assertThat(key.described())
                .contains("arg=unix:<run>/qmp.sock", "arg=<kernel>")
                .doesNotContain(run1.toString());
        // Another boot-time parameter: another kernel command line, another key.
        assertThat(QemuCommandKey.of(
                        command.apply(run1, line.replace("8080", "9090")), qemu, "tcg", files, run1, store))
                .isNotEqualTo(key);
        // An app rebuilt changes only its read-only disk (same path, other content): another key.
        Files.writeString(appDisk, "app two, rebuilt");
        var rebuiltApp = QemuCommandKey.of(command.apply(run1, line), qemu, "tcg", files, run1, store);
        assertThat(rebuiltApp).isNotEqualTo(key);
        // Another image (same paths, other content): another key.
        Files.writeString(initrd, "initrd two, rebuilt");
        assertThat(QemuCommandKey.of(command.apply(run1, line), qemu, "tcg", files, run1, store))
                .isNotEqualTo(key)
                .isNotEqualTo(rebuiltApp);
        // Under KVM the host CPU's model is in it (-cpu host copies it into the guest).
        assertThat(QemuCommandKey.of(command.apply(run1, line), qemu, "kvm", files, run1, store)
                        .described())
                .contains("file host-cpu=");
    }
}
