package org.mirari.tool.uefi;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.zip.CRC32;

/**
 * A GUID partition table with one partition (UEFI specification 2.10, chapter 5): the protective
 * MBR in LBA 0 (section 5.2.3), the primary header in LBA 1 with its 128 entries after it, and the
 * backup entries and header at the end of the disk (section 5.3.2). 512-byte sectors.
 */
public final class Gpt {
    static final int SECTOR = 512;
    static final int ENTRIES = 128;
    static final int ENTRY_SIZE = 128;
    /** Sectors of the entry array: 128 entries of 128 bytes. */
    static final int ENTRY_SECTORS = ENTRIES * ENTRY_SIZE / SECTOR;

    /** The EFI system partition's type GUID (spec, table 5.7). */
    public static final String ESP_TYPE = "C12A7328-F81F-11D2-BA4B-00A0C93EC93B";

    private Gpt() {}

    /**
     * Writes the tables of a {@code diskSectors}-sector disk with one partition from {@code first}
     * to {@code last} (inclusive).
     */
    public static void write(
            FileChannel disk,
            long diskSectors,
            String diskGuid,
            String typeGuid,
            String partitionGuid,
            long first,
            long last,
            String name)
            throws IOException {
        long lastLba = diskSectors - 1;
        long firstUsable = 2 + ENTRY_SECTORS;
        long lastUsable = lastLba - 1 - ENTRY_SECTORS;
        if (first < firstUsable || last > lastUsable || first > last)
            throw new IllegalArgumentException("partition " + first + "-" + last + " is outside the usable sectors "
                    + firstUsable + "-" + lastUsable);

        var entries = ByteBuffer.allocate(ENTRIES * ENTRY_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        entries.put(guidBytes(typeGuid)).put(guidBytes(partitionGuid));
        entries.putLong(first).putLong(last).putLong(0); // attributes
        byte[] utf16 = name.getBytes(StandardCharsets.UTF_16LE);
        if (utf16.length > 72) throw new IllegalArgumentException("a GPT partition name is at most 36 characters");
        entries.put(utf16);
        var crc = new CRC32();
        crc.update(entries.array());
        int entriesCrc = (int) crc.getValue();

        Fat32.writeAt(disk, 0, protectiveMbr(diskSectors));
        Fat32.writeAt(disk, SECTOR, header(1, lastLba, 2, firstUsable, lastUsable, diskGuid, entriesCrc));
        Fat32.writeAt(disk, 2L * SECTOR, entries.array());
        long backupEntries = lastLba - ENTRY_SECTORS;
        Fat32.writeAt(disk, backupEntries * SECTOR, entries.array());
        Fat32.writeAt(
                disk,
                lastLba * SECTOR,
                header(lastLba, 1, backupEntries, firstUsable, lastUsable, diskGuid, entriesCrc));
    }

    /** One partition of type 0xEE over the whole disk (or 2^32-1 sectors), so MBR tools leave it alone. */
    static byte[] protectiveMbr(long diskSectors) {
        var b = ByteBuffer.allocate(SECTOR).order(ByteOrder.LITTLE_ENDIAN);
        b.position(446);
        b.put((byte) 0); // not bootable
        b.put(new byte[] {0x00, 0x02, 0x00}); // CHS of LBA 1
        b.put((byte) 0xEE);
        b.put(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF});
        b.putInt(1);
        b.putInt((int) Math.min(diskSectors - 1, 0xFFFFFFFFL));
        b.putShort(510, (short) 0xAA55);
        return b.array();
    }

    private static byte[] header(
            long my,
            long alternate,
            long entriesLba,
            long firstUsable,
            long lastUsable,
            String diskGuid,
            int entriesCrc) {
        var b = ByteBuffer.allocate(SECTOR).order(ByteOrder.LITTLE_ENDIAN);
        b.put("EFI PART".getBytes(StandardCharsets.US_ASCII));
        b.putInt(0x00010000); // revision 1.0
        b.putInt(92); // header size
        b.putInt(0); // header CRC, computed below
        b.putInt(0);
        b.putLong(my).putLong(alternate).putLong(firstUsable).putLong(lastUsable);
        b.put(guidBytes(diskGuid));
        b.putLong(entriesLba).putInt(ENTRIES).putInt(ENTRY_SIZE).putInt(entriesCrc);
        var crc = new CRC32();
        crc.update(b.array(), 0, 92);
        b.putInt(16, (int) crc.getValue());
        return b.array();
    }

    /**
     * A GUID's on-disk bytes: the first three fields little-endian, the last two as written (spec,
     * appendix A).
     */
    static byte[] guidBytes(String guid) {
        String hex = guid.replace("-", "");
        if (hex.length() != 32 || guid.length() != 36) throw new IllegalArgumentException("not a GUID: " + guid);
        byte[] b = HexFormat.of().parseHex(hex);
        return new byte[] {
            b[3], b[2], b[1], b[0], b[5], b[4], b[7], b[6], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]
        };
    }

    /**
     * A GUID made from 16 bytes of a hash, marked as an RFC 9562 version 8 UUID (section 5.8: the
     * layout is the application's; here, bytes of a SHA-256 of the content).
     */
    public static String guidFromHash(byte[] hash) {
        byte[] b = java.util.Arrays.copyOf(hash, 16);
        b[6] = (byte) ((b[6] & 0x0f) | 0x80);
        b[8] = (byte) ((b[8] & 0x3f) | 0x80);
        String h = HexFormat.of().withUpperCase().formatHex(b);
        return h.substring(0, 8) + "-" + h.substring(8, 12) + "-" + h.substring(12, 16) + "-" + h.substring(16, 20)
                + "-" + h.substring(20);
    }
}
