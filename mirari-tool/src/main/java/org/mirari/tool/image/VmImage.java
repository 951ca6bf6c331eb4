package org.mirari.tool.image;

import java.nio.file.Path;
import java.util.List;

/**
 * A built VM image.
 *
 * @param kernel        {@code mir-<name>.vmlinuz}: the PVH ELF when {@code pvh}, else the bzImage
 * @param initrd        {@code mir-<name>.initrd}
 * @param kernelBytes   size of {@code kernel}
 * @param initrdBytes   size of {@code initrd} (compressed)
 * @param unpackedBytes what the initramfs occupies once unpacked in guest memory
 * @param heapMiB       the guest JVM's maximum heap
 * @param metaspaceMiB  the guest JVM's metaspace limit
 * @param pvh           whether {@code kernel} boots through the PVH entry (Xen PVH, QEMU's ELF loader)
 * @param kernelRelease the kernel's release string
 * @param initArgs      what follows {@code rdinit=} on the kernel command line, before the boot-time parameters
 * @param disks         the read-only disks the guest mounts its runtime and app from ({@code mir-<name>.jre.sqfs},
 *                      {@code mir-<name>.app.sqfs}), in the order they are attached; none when both are
 *                      files inside the initramfs ({@code --ec2})
 * @param disksBytes    the disks' total size
 */
public record VmImage(
        Path kernel,
        Path initrd,
        long kernelBytes,
        long initrdBytes,
        long unpackedBytes,
        int heapMiB,
        int metaspaceMiB,
        boolean pvh,
        String kernelRelease,
        String initArgs,
        List<Path> disks,
        long disksBytes) {
    public VmImage {
        disks = List.copyOf(disks);
    }

    /**
     * The kernel's own memory (its code and data, page tables, slab), measured: Debian's cloud
     * kernel reserves about 46 MiB of a guest at boot besides the initrd.
     */
    static final int KERNEL_MIB = 48;

    /**
     * What the guest JVM takes to start and answer (the pages of libjvm.so and the AOT cache it
     * reads, the heap and metaspace in use, code cache, thread stacks), estimated from hello's
     * boots (2026-12-01, TCG, loaded machine): with its runtime and app on read-only disks (5 MiB
     * of initramfs) it answered in 128 MiB every time and stalled in 96, so the JVM needs more than
     * 96 - 48 - 5 = 43 MiB. With 128 KiB squashfs blocks it answered in 112 (16 s) and not in 96,
     * and the guest showed 11-13 MiB of the JVM's anonymous memory and 23-25 MiB of mapped file
     * pages once listening, so 56 (109 MiB for hello in all) stays the estimate. The heap and
     * metaspace limits ({@code -Xmx}, default 64 MiB, and 48 MiB) are not reserved in full: an app
     * that fills them needs more ({@code vm-memory}).
     */
    static final int JVM_START_MIB = 56;

    /**
     * The least guest memory the image runs in, in MiB: the unpacked initramfs stays in memory (it
     * is the root file system, holding the runtime and the app as squashfs files), plus the larger
     * of the compressed initrd (held until unpacked) and what the JVM takes to start, plus the
     * kernel's own.
     */
    public int minimumMemoryMiB() {
        return (int) (mib(unpackedBytes) + Math.max(mib(initrdBytes), JVM_START_MIB) + KERNEL_MIB);
    }

    /** How {@link #minimumMemoryMiB()} adds up, for messages. */
    public String memoryBreakdown() {
        return mib(unpackedBytes) + " MiB unpacked initramfs + "
                + (mib(initrdBytes) > JVM_START_MIB
                        ? mib(initrdBytes) + " MiB initrd while it unpacks"
                        : JVM_START_MIB + " MiB for the JVM to start")
                + " + " + KERNEL_MIB + " MiB kernel";
    }

    private static long mib(long bytes) {
        return (bytes + (1 << 20) - 1) >> 20;
    }
}
