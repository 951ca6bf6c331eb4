package org.mirari.tool.image;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What goes into a VM image.
 *
 * @param name          the app's name
 * @param javaHome      the JDK whose runtime is linked into the image
 * @param classPath     the app's jars, its dependencies and the Mirari runtime jar, in class path order
 * @param mainClass     the generated entry class ({@code Main})
 * @param kvDir         the directory of packed KV stores ({@code <store>.kv}), if the app has any
 * @param depends       extra Java modules from the conf's {@code depends}
 * @param vmKernel      the {@code vm-kernel} key, if set
 * @param network       false for {@code main-noip} apps: no driver is loaded, no interface configured
 * @param jvmOptions    options for the guest JVM (e.g. from {@code jvm-options}); {@code -Xmx} here sets the heap
 * @param kernelOut     where the kernel is written ({@code mir-<name>.vmlinuz} beside the conf)
 * @param initrdOut     where the initramfs is written ({@code mir-<name>.initrd} beside the conf)
 * @param compression   how the initramfs is compressed
 * @param mtime         the timestamp of every archive entry ({@code SOURCE_DATE_EPOCH} or 0)
 * @param aotTraining   whether to train the app's AOT cache at build time (an HTTP app: it is
 *                      started on the build host, asked {@code GET /} once and stopped)
 * @param drivers       kernel modules the target needs beside the network drivers every image
 *                      carries ({@link KernelModules#OPTIONAL}: {@code ena} for EC2), loaded after
 *                      them; none for {@code main-noip} apps
 * @param bzImage       write the kernel as shipped (the bzImage, whose EFI stub a unified kernel
 *                      image starts) rather than its PVH ELF
 * @param disks         where the runtime's and the app's squashfs images are written as read-only
 *                      disks for the hypervisor to attach ({@code --qemu}, {@code --xen}); empty: both
 *                      go into the initramfs as files (a UEFI disk carries the initramfs only)
 */
public record VmImageSpec(
        String name,
        Path javaHome,
        List<Path> classPath,
        String mainClass,
        Optional<Path> kvDir,
        List<String> depends,
        Optional<Path> vmKernel,
        boolean network,
        List<String> jvmOptions,
        Path kernelOut,
        Path initrdOut,
        Compression compression,
        long mtime,
        boolean aotTraining,
        List<String> drivers,
        boolean bzImage,
        Optional<Disks> disks) {
    /** The outputs of the two read-only disks: the runtime ({@code /jre}) and the app ({@code /app}). */
    public record Disks(Path runtime, Path app) {}

    public VmImageSpec {
        drivers = List.copyOf(drivers);
        Objects.requireNonNull(name, "name");
        classPath = List.copyOf(classPath);
        depends = List.copyOf(depends);
        jvmOptions = List.copyOf(jvmOptions);
    }
}
