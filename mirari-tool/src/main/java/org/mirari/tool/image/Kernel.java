package org.mirari.tool.image;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A guest kernel ready to boot, as stored in the cache.
 *
 * @param bzImage  the kernel as shipped (Linux boot protocol)
 * @param pvhElf   the uncompressed ELF with a PVH entry note, when one could be extracted
 * @param modules  the network driver modules and their dependencies, in load order
 * @param optional every module the cache keeps (the network drivers, and the
 *                 {@linkplain KernelModules#OPTIONAL optional ones} the kernel has, with their
 *                 dependencies), by normalised module name: where {@link VmImageSpec#drivers} are found
 * @param release  the kernel release ({@code 6.1.0-57-cloud-amd64}) or a description of the source
 */
public record Kernel(
        Path bzImage, Optional<Path> pvhElf, List<Path> modules, Map<String, Path> optional, String release) {
    public Kernel {
        modules = List.copyOf(modules);
        optional = Map.copyOf(optional);
    }

    /** The file to boot: the PVH ELF when there is one (Xen needs it; QEMU boots it faster). */
    public Path bootable() {
        return pvhElf.orElse(bzImage);
    }
}
