package org.mirari.tool.k8s;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import org.mirari.tool.backend.AppBuild;
import org.mirari.tool.backend.OciBackend;
import org.mirari.tool.config.EntryPoint;
import org.mirari.tool.image.VmImageBuilder;
import org.mirari.tool.plan.Boot;

/**
 * On paper (there is no KubeVirt here, so only the golden file tests it): the app's micro-VM image
 * as a KubeVirt {@code VirtualMachine}, booted by direct kernel boot ({@code firmware.kernelBoot})
 * from a container disk image that holds {@code /boot/mir-<name>.vmlinuz} and
 * {@code /boot/mir-<name>.initrd}, on the pod network through KubeVirt's masquerade binding, which
 * hands the guest its address by DHCP (so {@code ip-use-dhcp=true} on its command line), with a
 * Service for {@code http-port}. The image named is {@code <repository>-kernelboot:<tag>} beside the
 * app's: {@code mirari build --qemu --kernel-boot [--push REF]} builds it ({@code pipeline.KernelBootImage}).
 */
public final class KubeVirtManifests {
    private KubeVirtManifests() {}

    /** {@code registry/hello-kernelboot:TAG} beside {@code registry/hello:TAG} (or {@code @sha256:...}, then {@code :latest}). */
    static String kernelBootImage(String image) {
        String repo = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
        String tag = "latest";
        int colon = repo.lastIndexOf(':');
        if (colon > repo.lastIndexOf('/')) {
            if (!image.contains("@")) tag = repo.substring(colon + 1);
            repo = repo.substring(0, colon);
        }
        return repo + "-kernelboot:" + tag;
    }

    /** The VM's disk names, in the order of {@link OciBackend#kernelBootDisks}. */
    private static final List<String> DISKS = List.of("jre", "app");

    public static String yaml(AppBuild app, Boot boot, K8sOptions options) {
        String name = K8sManifests.objectName(app) + "-vm";
        boolean http = app.config().main().kind() == EntryPoint.Kind.HTTP;
        int memory = app.config().effectiveVmMemoryMib();
        var params = new LinkedHashMap<String, String>(boot.all());
        params.putAll(boot.overrides());
        params.put("ip-use-dhcp", "true");
        var args = new ArrayList<String>();
        args.add("console=ttyS0 panic=-1 " + VmImageBuilder.INIT_ARGS);
        params.forEach((k, v) -> args.add(k + "=" + v));
        var y = new StringBuilder();
        y.append("# ").append(app.stamp()).append('\n');
        y.append(
                "# KubeVirt VirtualMachine: the micro-VM image by direct kernel boot (not tested: no KubeVirt here)\n");
        y.append("apiVersion: kubevirt.io/v1\nkind: VirtualMachine\n");
        y.append("metadata:\n  name: ")
                .append(name)
                .append("\n  namespace: ")
                .append(options.namespace())
                .append('\n');
        y.append("  labels:\n    app.kubernetes.io/name: ")
                .append(name)
                .append("\n    app.kubernetes.io/managed-by: mirari\n");
        y.append("spec:\n  runStrategy: Always\n  template:\n    metadata:\n      labels:\n");
        y.append("        app.kubernetes.io/name: ").append(name).append('\n');
        y.append("    spec:\n      domain:\n        cpu:\n          cores: 1\n");
        y.append("        memory:\n          guest: ").append(memory).append("Mi\n");
        y.append("        firmware:\n          kernelBoot:\n            container:\n");
        y.append("              image: ")
                .append(K8sManifests.quote(kernelBootImage(options.image())))
                .append('\n');
        y.append("              kernelPath: ")
                .append(OciBackend.kernelBootKernel(app))
                .append('\n');
        y.append("              initrdPath: ")
                .append(OciBackend.kernelBootInitrd(app))
                .append('\n');
        y.append("              imagePullPolicy: IfNotPresent\n");
        y.append("            kernelArgs: ")
                .append(K8sManifests.quote(String.join(" ", args)))
                .append('\n');
        y.append("        devices:\n");
        // The runtime's and the app's squashfs, read-only virtio disks as under --qemu, from the
        // same container disk as the kernel (containerDisk.path names the file in it).
        var disks = OciBackend.kernelBootDisks(app);
        y.append("          disks:\n");
        for (String disk : DISKS)
            y.append("            - name: ")
                    .append(disk)
                    .append("\n              disk:\n                bus: virtio\n");
        y.append("          interfaces:\n            - name: default\n              masquerade: {}\n");
        if (http)
            y.append("              ports:\n                - port: ")
                    .append(boot.httpPort())
                    .append('\n');
        y.append("        resources:\n          requests:\n            memory: ")
                .append(memory)
                .append("Mi\n");
        y.append("      networks:\n        - name: default\n          pod: {}\n");
        y.append("      volumes:\n");
        for (int i = 0; i < DISKS.size(); i++)
            y.append("        - name: ")
                    .append(DISKS.get(i))
                    .append("\n          containerDisk:\n            image: ")
                    .append(K8sManifests.quote(kernelBootImage(options.image())))
                    .append("\n            path: ")
                    .append(disks.get(i))
                    .append("\n            imagePullPolicy: IfNotPresent\n");
        if (http) {
            y.append("---\napiVersion: v1\nkind: Service\n");
            y.append("metadata:\n  name: ")
                    .append(name)
                    .append("\n  namespace: ")
                    .append(options.namespace())
                    .append('\n');
            y.append("spec:\n  selector:\n    app.kubernetes.io/name: ")
                    .append(name)
                    .append('\n');
            y.append("  ports:\n    - name: http\n      port: ")
                    .append(boot.httpPort())
                    .append("\n      targetPort: ")
                    .append(boot.httpPort())
                    .append("\n      protocol: TCP\n");
        }
        return y.toString();
    }
}
