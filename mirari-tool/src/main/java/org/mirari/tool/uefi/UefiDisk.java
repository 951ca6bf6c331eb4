package org.mirari.tool.uefi;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * A raw disk that UEFI firmware boots: a GPT with one EFI system partition (FAT32) holding a
 * unified kernel image at the removable-media path {@code \EFI\BOOT\BOOTX64.EFI} (UEFI 2.10,
 * section 3.5.1.1), which firmware starts with no boot entry configured (OVMF, EC2's). The
 * partition starts at 1 MiB; the disk is a whole number of GiB (EBS volumes are), written sparse,
 * so the rest costs no space here and is skipped by an upload that skips zero blocks.
 *
 * @param file        the disk image
 * @param bytes       its size (the volume size it needs)
 * @param espBytes    the EFI system partition's size
 * @param ukiBytes    the unified kernel image's size
 * @param diskGuid    the GPT's disk GUID (from the content)
 */
public record UefiDisk(Path file, long bytes, long espBytes, long ukiBytes, String diskGuid) {
    public static final long GIB = 1L << 30;
    static final long FIRST_SECTOR = 2048;
    public static final String BOOT_PATH = "EFI/BOOT/BOOTX64.EFI";

    /** What goes into the disk. */
    public record Contents(byte[] stub, byte[] kernel, byte[] initrd, String cmdline, String osRelease) {}

    /**
     * Writes {@code out} (replacing it) from {@code contents}, every timestamp being
     * {@code epochSeconds}; the disk is the smallest whole number of GiB that holds it, at least
     * {@code minimumBytes}.
     */
    public static UefiDisk write(Path out, Contents contents, long epochSeconds, long minimumBytes) throws IOException {
        byte[] uki = UnifiedKernelImage.of(
                contents.stub(),
                List.of(
                        new UnifiedKernelImage.Section(
                                ".osrel", contents.osRelease().getBytes(StandardCharsets.UTF_8)),
                        new UnifiedKernelImage.Section(
                                ".cmdline", contents.cmdline().getBytes(StandardCharsets.UTF_8)),
                        new UnifiedKernelImage.Section(".linux", contents.kernel()),
                        new UnifiedKernelImage.Section(".initrd", contents.initrd())));
        byte[] hash = sha256(uki);
        // A little room beyond what FAT32 needs, in whole MiB, so the partition ends on a MiB.
        long espSectors = (Fat32.minimumSectors(uki.length, 2) + 2 * 2048 + 2047) / 2048 * 2048;
        long needed = (FIRST_SECTOR + espSectors + 2 + Gpt.ENTRY_SECTORS) * Gpt.SECTOR;
        long bytes = Math.max(minimumBytes, needed);
        bytes = (bytes + GIB - 1) / GIB * GIB;
        String diskGuid = Gpt.guidFromHash(sha256(hash, "disk"));
        String partGuid = Gpt.guidFromHash(sha256(hash, "esp"));
        int serial = ByteBuffer.wrap(sha256(hash, "volume")).getInt();
        try (var ch = FileChannel.open(
                out, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            Gpt.write(
                    ch,
                    bytes / Gpt.SECTOR,
                    diskGuid,
                    Gpt.ESP_TYPE,
                    partGuid,
                    FIRST_SECTOR,
                    FIRST_SECTOR + espSectors - 1,
                    "EFI System Partition");
            new Fat32(espSectors, FIRST_SECTOR, serial, "MIRARI", epochSeconds)
                    .add(BOOT_PATH, uki)
                    .write(ch, FIRST_SECTOR * Gpt.SECTOR);
        }
        return new UefiDisk(out, bytes, espSectors * Gpt.SECTOR, uki.length, diskGuid);
    }

    private static byte[] sha256(byte[] data, String purpose) {
        var md = digest();
        md.update(purpose.getBytes(StandardCharsets.US_ASCII));
        md.update((byte) 0);
        return md.digest(data);
    }

    static byte[] sha256(byte[] data) {
        return digest().digest(data);
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
