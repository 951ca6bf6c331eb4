package org.mirari.tool.uefi;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A FAT32 file system holding a few files, written as bytes (Microsoft's FAT specification, "FAT:
 * General Overview of On-Disk Format" 1.03): boot sector and FSInfo (with their backups in sectors
 * 6 and 7), two FATs, then the clusters: each directory in one cluster, each file in consecutive
 * clusters. Names must be 8.3 upper case (no long-name entries: {@code EFI/BOOT/BOOTX64.EFI} is
 * one). Every entry carries the same fixed time; nothing depends on the clock.
 *
 * <p>The type of a FAT is decided by its count of clusters alone (spec, section 3.5): FAT32 needs
 * at least 65,525, so with 512-byte clusters the partition is at least 33 MiB; {@link #minimumSectors}
 * says how much a set of files needs.
 */
public final class Fat32 {
    static final int SECTOR = 512;
    static final int RESERVED = 32;
    static final int MIN_CLUSTERS = 65525;
    private static final int EOC = 0x0FFFFFFF;
    private static final int ENTRY = 32;

    private final long sectors;
    private final long hiddenSectors;
    private final int serial;
    private final String label;
    private final int fatDate;
    private final Map<String, byte[]> files = new TreeMap<>();

    /**
     * @param sectors       the partition's size in 512-byte sectors
     * @param hiddenSectors the partition's first sector on the disk (the BPB records it)
     * @param serial        the volume serial number (derive it from the content for reproducibility)
     * @param label         the volume label, at most 11 characters
     * @param epochSeconds  the time of every entry ({@code SOURCE_DATE_EPOCH}); FAT starts in 1980, so
     *                      anything earlier is 1980-01-01 00:00
     */
    public Fat32(long sectors, long hiddenSectors, int serial, String label, long epochSeconds) {
        this.sectors = sectors;
        this.hiddenSectors = hiddenSectors;
        this.serial = serial;
        this.label = label;
        this.fatDate = fatDate(epochSeconds);
    }

    /** Adds a file at {@code path} ({@code EFI/BOOT/BOOTX64.EFI}); its directories are made as needed. */
    public Fat32 add(String path, byte[] content) {
        for (String part : path.split("/")) shortName(part); // validates
        files.put(path, content);
        return this;
    }

    /** The sectors a FAT32 with these files and 512-byte clusters needs: at least 33 MiB (see the class comment). */
    public static long minimumSectors(long fileBytes, int directories) {
        long clusters = Math.max(MIN_CLUSTERS + 16, (fileBytes + SECTOR - 1) / SECTOR + directories + 16);
        long fat = (clusters + 2) * 4 / SECTOR + 1;
        return RESERVED + 2 * fat + clusters;
    }

    /** Writes the file system into {@code disk} from byte {@code offset} (the partition's start). */
    public void write(FileChannel disk, long offset) throws IOException {
        long fatSectors = fatSectors();
        long clusters = (sectors - RESERVED - 2 * fatSectors);
        if (clusters < MIN_CLUSTERS)
            throw new IllegalArgumentException("a FAT32 partition needs at least " + MIN_CLUSTERS + " clusters; "
                    + sectors + " sectors give " + clusters);

        // The tree: every directory (the root is "") with its entries, in name order.
        var dirs = new TreeMap<String, List<String>>();
        dirs.put("", new ArrayList<>());
        for (String path : files.keySet()) {
            String parent = "";
            for (String part : path.split("/")) {
                String child = parent.isEmpty() ? part : parent + "/" + part;
                var entries = dirs.get(parent);
                if (!entries.contains(child)) entries.add(child);
                if (!files.containsKey(child)) dirs.putIfAbsent(child, new ArrayList<>());
                parent = child;
            }
        }
        // Clusters: directories first (the root is cluster 2), then the files' runs.
        var first = new TreeMap<String, Long>();
        long next = 2;
        for (String d : dirs.keySet()) {
            int used = dirs.get(d).size() + (d.isEmpty() ? 1 : 2); // the label, or "." and ".."
            if (used > SECTOR / ENTRY)
                throw new IllegalArgumentException("directory /" + d + " has too many entries for one cluster");
            first.put(d, next++);
        }
        for (var f : files.entrySet()) {
            first.put(f.getKey(), next);
            next += Math.max(1, (f.getValue().length + SECTOR - 1) / SECTOR);
        }
        if (next - 2 > clusters)
            throw new IllegalArgumentException(
                    "the files need " + (next - 2) + " clusters; the partition has " + clusters);

        long fatStart = offset + (long) RESERVED * SECTOR;
        long dataStart = fatStart + 2 * fatSectors * SECTOR;
        // FAT: entries 0 and 1 are reserved (media byte, clean-shutdown bits); then the chains.
        var fat = ByteBuffer.allocate((int) (next * 4)).order(ByteOrder.LITTLE_ENDIAN);
        fat.putInt(0x0FFFFFF8).putInt(EOC);
        for (String d : dirs.keySet()) fat.putInt((int) (first.get(d) * 4), EOC);
        for (var f : files.entrySet()) {
            long c = first.get(f.getKey());
            long n = Math.max(1, (f.getValue().length + SECTOR - 1) / SECTOR);
            for (long i = 0; i < n; i++) fat.putInt((int) ((c + i) * 4), i == n - 1 ? EOC : (int) (c + i + 1));
        }
        for (int copy = 0; copy < 2; copy++) {
            writeAt(disk, fatStart + copy * fatSectors * SECTOR, fat.array());
        }
        for (var d : dirs.entrySet()) {
            var cluster = ByteBuffer.allocate(SECTOR).order(ByteOrder.LITTLE_ENDIAN);
            if (d.getKey().isEmpty()) {
                entry(cluster, padded(label), 0x08, 0, 0);
            } else {
                String parent = d.getKey().contains("/")
                        ? d.getKey().substring(0, d.getKey().lastIndexOf('/'))
                        : "";
                entry(cluster, ".          ", 0x10, first.get(d.getKey()), 0);
                // ".." of a directory in the root points to cluster 0 (spec, section 6.4).
                entry(cluster, "..         ", 0x10, parent.isEmpty() ? 0 : first.get(parent), 0);
            }
            for (String child : d.getValue()) {
                String name = child.substring(child.lastIndexOf('/') + 1);
                byte[] content = files.get(child);
                if (content == null) entry(cluster, shortName(name), 0x10, first.get(child), 0);
                else entry(cluster, shortName(name), 0x20, content.length == 0 ? 0 : first.get(child), content.length);
            }
            writeAt(disk, dataStart + (first.get(d.getKey()) - 2) * SECTOR, cluster.array());
        }
        for (var f : files.entrySet()) {
            writeAt(disk, dataStart + (first.get(f.getKey()) - 2) * SECTOR, f.getValue());
        }
        long free = clusters - (next - 2);
        byte[] boot = bootSector(fatSectors);
        byte[] info = fsInfo(free, next);
        writeAt(disk, offset, boot);
        writeAt(disk, offset + SECTOR, info);
        writeAt(disk, offset + 6L * SECTOR, boot);
        writeAt(disk, offset + 7L * SECTOR, info);
    }

    /** Sectors per FAT: 4 bytes for each cluster and the two reserved entries (spec, section 3.5's formula, for FAT32). */
    long fatSectors() {
        long tmp1 = sectors - RESERVED;
        long tmp2 = (256L * 1 + 2) / 2; // (256 * sectors per cluster + number of FATs) / 2
        return (tmp1 + tmp2 - 1) / tmp2;
    }

    private byte[] bootSector(long fatSectors) {
        var b = ByteBuffer.allocate(SECTOR).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0xEB, 0x58, (byte) 0x90});
        b.put("MIRARI  ".getBytes(StandardCharsets.US_ASCII));
        b.putShort((short) SECTOR); // bytes per sector
        b.put((byte) 1); // sectors per cluster
        b.putShort((short) RESERVED);
        b.put((byte) 2); // FATs
        b.putShort((short) 0); // root entries (0 on FAT32)
        b.putShort((short) 0); // 16-bit total sectors (0: see the 32-bit field)
        b.put((byte) 0xF8); // media: fixed disk
        b.putShort((short) 0); // 16-bit FAT size (0 on FAT32)
        b.putShort((short) 63).putShort((short) 255); // sectors per track, heads (unused by UEFI)
        b.putInt((int) hiddenSectors);
        b.putInt((int) sectors);
        b.putInt((int) fatSectors);
        b.putShort((short) 0); // flags: both FATs mirrored
        b.putShort((short) 0); // version 0.0
        b.putInt(2); // root directory cluster
        b.putShort((short) 1); // FSInfo sector
        b.putShort((short) 6); // backup boot sector
        b.position(64);
        b.put((byte) 0x80); // drive number
        b.put((byte) 0);
        b.put((byte) 0x29); // extended boot signature: the next three fields are present
        b.putInt(serial);
        b.put(padded(label).getBytes(StandardCharsets.US_ASCII));
        b.put("FAT32   ".getBytes(StandardCharsets.US_ASCII));
        b.putShort(510, (short) 0xAA55);
        return b.array();
    }

    private static byte[] fsInfo(long free, long nextFree) {
        var b = ByteBuffer.allocate(SECTOR).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, 0x41615252);
        b.putInt(484, 0x61417272);
        b.putInt(488, (int) free);
        b.putInt(492, (int) nextFree);
        b.putInt(508, 0xAA550000);
        return b.array();
    }

    private void entry(ByteBuffer dir, String name11, int attributes, long cluster, long size) {
        int at = dir.position();
        dir.put(name11.getBytes(StandardCharsets.US_ASCII));
        dir.put((byte) attributes);
        dir.put((byte) 0); // reserved (NT case bits)
        dir.put((byte) 0); // creation time, tenths
        dir.putShort((short) 0); // creation time
        dir.putShort((short) fatDate); // creation date
        dir.putShort((short) fatDate); // last access date
        dir.putShort((short) (cluster >>> 16));
        dir.putShort((short) 0); // write time
        dir.putShort((short) fatDate); // write date
        dir.putShort((short) cluster);
        dir.putInt((int) size);
        dir.position(at + ENTRY);
    }

    /** {@code BOOTX64.EFI} as its 11-byte directory name {@code BOOTX64 EFI}. */
    static String shortName(String name) {
        if (!name.matches("[A-Z0-9_~-]{1,8}(\\.[A-Z0-9_~-]{1,3})?"))
            throw new IllegalArgumentException("not an upper-case 8.3 FAT name: " + name);
        int dot = name.indexOf('.');
        String base = dot < 0 ? name : name.substring(0, dot);
        String ext = dot < 0 ? "" : name.substring(dot + 1);
        return String.format(Locale.ROOT, "%-8s%-3s", base, ext);
    }

    private static String padded(String label) {
        String l = label.toUpperCase(Locale.ROOT);
        if (l.length() > 11) l = l.substring(0, 11);
        return String.format(Locale.ROOT, "%-11s", l);
    }

    /** The FAT date of a time: bits 15-9 years since 1980, 8-5 month, 4-0 day (spec, section 6.3). */
    static int fatDate(long epochSeconds) {
        var t = java.time.LocalDate.ofEpochDay(Math.floorDiv(epochSeconds, 86400));
        if (t.getYear() < 1980) return (1 << 5) | 1;
        if (t.getYear() > 2107) t = java.time.LocalDate.of(2107, 12, 31);
        return ((t.getYear() - 1980) << 9) | (t.getMonthValue() << 5) | t.getDayOfMonth();
    }

    static void writeAt(FileChannel ch, long position, byte[] bytes) throws IOException {
        var b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) position += ch.write(b, position);
    }
}
