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
public record VmImage(Path kernel, Path initrd, long kernelBytes, long initrdBytes, long unpackedBytes,
                      int heapMiB, int metaspaceMiB, boolean pvh, String kernelRelease, String initArgs) {
    /** Kernel and JVM overhead beyond the heap, metaspace and unpacked files (code cache, thread stacks, page tables, kernel). */
    static final int OVERHEAD_MIB = 64;

    /** The least guest memory the image can run in: unpacked initramfs + heap + metaspace + overhead, in MiB. */
    public int minimumMemoryMiB() {
        long unpackedMiB = (unpackedBytes + (1 << 20) - 1) >> 20;
        long initrdMiB = (initrdBytes + (1 << 20) - 1) >> 20;
        return (int) (unpackedMiB + initrdMiB + heapMiB + metaspaceMiB + OVERHEAD_MIB);
    }
}
