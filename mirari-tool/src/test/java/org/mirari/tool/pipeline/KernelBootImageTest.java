package org.mirari.tool.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirari.tool.backend.Host;
import org.mirari.tool.backend.TestApps;
import org.mirari.tool.k8s.K8sOptions;
import org.mirari.tool.k8s.KubeVirtManifests;
import org.mirari.tool.oci.OciImageSpec;

/** The KubeVirt container disk holds the VM image (kernel, initrd and its two read-only disks) exactly where the VirtualMachine looks. */
class KernelBootImageTest {
    private static final String CONF = "main-http: Hello.main\nhttp-port: 8080\n";

    @TempDir
    Path dir;

    @Test
    void theDiskHoldsTheKernelInitrdAndDisksAtThePathsTheVirtualMachineNames() throws Exception {
        Path conf = Files.writeString(dir.resolve("hello.conf"), CONF);
        var app = TestApps.bare(conf, CONF, List.of());
        var spec = new KernelBootImage(app, Host.bare(), e -> {}).spec();

        assertThat(spec.reference()).isEqualTo("mirari/hello-kernelboot:latest");
        assertThat(spec.entrypoint()).as("it runs nothing").isEmpty();
        assertThat(spec.exposedPort()).isEqualTo(OptionalInt.empty());
        assertThat(spec.layers()).extracting(OciImageSpec.Layer::name).containsExactly("kernel-boot");
        var entries = spec.layers().getFirst().entries();
        assertThat(entries)
                .extracting(OciImageSpec.Entry::source, OciImageSpec.Entry::path, OciImageSpec.Entry::mode)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                dir.resolve("mir-hello.vmlinuz"), "/boot/mir-hello.vmlinuz", 0444),
                        org.assertj.core.groups.Tuple.tuple(
                                dir.resolve("mir-hello.initrd"), "/boot/mir-hello.initrd", 0444),
                        org.assertj.core.groups.Tuple.tuple(
                                dir.resolve("mir-hello.jre.sqfs"), "/boot/mir-hello.jre.sqfs", 0444),
                        org.assertj.core.groups.Tuple.tuple(
                                dir.resolve("mir-hello.app.sqfs"), "/boot/mir-hello.app.sqfs", 0444));
        assertThat(spec.labels()).containsEntry("org.opencontainers.image.title", "hello-kernelboot");

        var options = new K8sOptions(1, "shop", "registry.example:5000/hello:1", Optional.empty(), OptionalInt.empty());
        String yaml = KubeVirtManifests.yaml(app, TestApps.boot(conf, CONF, Map.of()), options);
        assertThat(yaml)
                .contains(
                        "image: \"registry.example:5000/hello-kernelboot:1\"",
                        "kernelPath: " + entries.get(0).path() + "\n",
                        "initrdPath: " + entries.get(1).path() + "\n",
                        // The runtime's and the app's disks, from the same container disk.
                        "- name: jre\n          containerDisk:\n            image: \"registry.example:5000/hello-kernelboot:1\"\n            path: "
                                + entries.get(2).path() + "\n",
                        "- name: app\n          containerDisk:\n            image: \"registry.example:5000/hello-kernelboot:1\"\n            path: "
                                + entries.get(3).path() + "\n");
    }
}
