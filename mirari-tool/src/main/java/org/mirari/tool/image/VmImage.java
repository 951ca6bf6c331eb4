package org.mirari.tool.image;

import java.nio.file.Path;

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
        String initArgs) {
    /** The kernel and the JVM beyond heap and metaspace (code cache, thread stacks, page tables), measured with margin. */
    static final int OVERHEAD_MIB = 48;

    /**
     * The least guest memory the image runs in, in MiB: the unpacked initramfs stays in memory (it
     * is the root file system), plus the larger of the compressed initrd (held until unpacked) and
     * the JVM's heap and metaspace limits, plus the kernel's and JVM's own overhead.
     */
    public int minimumMemoryMiB() {
        return (int) (mib(unpackedBytes) + Math.max(mib(initrdBytes), heapMiB + metaspaceMiB) + OVERHEAD_MIB);
    }

    /** How {@link #minimumMemoryMiB()} adds up, for messages. */
    public String memoryBreakdown() {
        return mib(unpackedBytes) + " MiB unpacked initramfs + " + heapMiB + " MiB heap + " + metaspaceMiB
                + " MiB metaspace + " + OVERHEAD_MIB + " MiB kernel and JVM";
    }

    private static long mib(long bytes) {
        return (bytes + (1 << 20) - 1) >> 20;
    }
}
