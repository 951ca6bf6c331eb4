/**
 * UEFI boot disks written byte by byte, without mounting anything and reproducibly: a unified
 * kernel image ({@link org.mirari.tool.uefi.UnifiedKernelImage}: systemd's EFI stub with the
 * kernel, the initrd and the command line added as PE sections), a FAT32 EFI system partition
 * holding it as {@code \EFI\BOOT\BOOTX64.EFI} ({@link org.mirari.tool.uefi.Fat32}), and the GPT
 * around it ({@link org.mirari.tool.uefi.Gpt}); {@link org.mirari.tool.uefi.UefiDisk} puts them
 * together. Every timestamp is fixed and every identifier (GUIDs, the volume serial) is derived
 * from the content, so the same inputs give the same bytes. Uses the JDK only.
 * The allowed dependencies are checked by {@code ArchitectureTest}, whose table says the same.
 */
package org.mirari.tool.uefi;
