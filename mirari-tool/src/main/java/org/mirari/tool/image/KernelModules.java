package org.mirari.tool.image;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Kernel modules and their load order. Reads each module's {@code depends=} entry from its
 * {@code .modinfo} section (NUL-separated {@code key=value} strings), the data {@code modprobe}
 * uses, so no module tools are needed on the host or in the guest.
 */
public final class KernelModules {
    /** The network drivers a guest needs: virtio-net on QEMU (microvm's virtio-mmio, or PCI), netfront on Xen. */
    public static final List<String> NETWORK = List.of("virtio_mmio", "virtio_pci", "virtio_net", "xen-netfront");

    /**
     * Drivers the kernel cache keeps beside {@link #NETWORK} for the targets that ask for them
     * ({@link VmImageSpec#drivers}): {@code ena}, the network device of EC2's Nitro instances.
     * (Their NVMe disks need no module: Debian's cloud kernel has NVMe built in.) {@code loop} and
     * {@code squashfs}: every image mounts its runtime and app from squashfs images
     * ({@link VmImageBuilder#IMAGES}), files in the initramfs on {@code --ec2}; {@code virtio_blk}
     * and {@code xen-blkfront}: read-only disks holding them on {@code --qemu} and {@code --xen}.
     * {@code qemu_fw_cfg}: QEMU hands a run's files (the TLS certificate and key, boot-time
     * parameters) to the guest through fw_cfg, which this module shows under
     * {@code /sys/firmware/qemu_fw_cfg} ({@link VmImageBuilder#FW_CFG}).
     */
    public static final List<String> OPTIONAL =
            List.of("ena", "loop", "squashfs", "qemu_fw_cfg", "virtio_mmio", "virtio_blk", "xen-blkfront");

    private KernelModules() {}

    /** The {@code depends=} names of a module file (module names use '_' and '-' interchangeably). */
    static List<String> depends(byte[] ko) {
        byte[] key = "depends=".getBytes(StandardCharsets.US_ASCII);
        outer:
        for (int i = 0; i + key.length <= ko.length; i++) {
            if (i > 0 && ko[i - 1] != 0) continue;
            for (int k = 0; k < key.length; k++) if (ko[i + k] != key[k]) continue outer;
            int start = i + key.length;
            int end = start;
            while (end < ko.length && ko[end] != 0) end++;
            String value = new String(ko, start, end - start, StandardCharsets.US_ASCII);
            return value.isEmpty() ? List.of() : List.of(value.split(","));
        }
        return List.of();
    }

    /**
     * Orders {@code wanted} and everything they depend on so that each module comes after its
     * dependencies. {@code files} maps normalised module names ('-' as '_') to their files.
     */
    static List<Path> loadOrder(List<String> wanted, Map<String, Path> files) throws IOException {
        var order = new LinkedHashSet<String>();
        for (String w : wanted) visit(normalise(w), files, order, new LinkedHashSet<>());
        var paths = new ArrayList<Path>();
        for (String m : order) paths.add(files.get(m));
        return paths;
    }

    private static void visit(String name, Map<String, Path> files, Set<String> done, Set<String> path)
            throws IOException {
        if (done.contains(name)) return;
        if (!path.add(name))
            throw new IOException("kernel module dependency cycle: " + String.join(" -> ", path) + " -> " + name);
        Path file = files.get(name);
        if (file == null)
            throw new IOException("kernel module " + name + " not found among " + files.size() + " modules");
        for (String d : depends(Files.readAllBytes(file))) visit(normalise(d), files, done, path);
        path.remove(name);
        done.add(name);
    }

    static String normalise(String name) {
        return name.replace('-', '_');
    }

    /** Every {@code *.ko} under {@code dir}, by normalised module name. */
    static Map<String, Path> index(Path dir) throws IOException {
        var map = new LinkedHashMap<String, Path>();
        if (!Files.isDirectory(dir)) return map;
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted().toList()) {
                String f = p.getFileName().toString();
                if (f.endsWith(".ko")) map.put(normalise(f.substring(0, f.length() - 3)), p);
            }
        }
        return map;
    }
}
