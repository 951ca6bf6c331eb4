package org.mirari.tool.image;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.compressors.lz4.BlockLZ4CompressorInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * Recovers the uncompressed {@code vmlinux} ELF from a bzImage, when it carries a PVH entry
 * point. Xen boots PVH guests from that ELF, and QEMU boots it through the same entry, skipping
 * the real-mode setup and the in-guest decompression (faster, especially under TCG).
 *
 * <p>Layout used: the x86 boot protocol (the kernel's Documentation/arch/x86/boot.rst) gives
 * {@code setup_sects} at 0x1f1 and, from protocol 2.08, {@code payload_offset}/{@code payload_length}
 * at 0x248/0x24c, relative to the protected-mode code that starts after the setup sectors. The
 * payload is the compressed ELF followed by its uncompressed size (4 bytes, little-endian). LZ4
 * payloads use the "legacy" frame: magic 0x184C2102, then blocks each preceded by their compressed
 * length.
 */
public final class PvhKernel {
    private static final int LZ4_LEGACY_MAGIC = 0x184C2102;
    /** XEN_ELFNOTE_PHYS32_ENTRY from Xen's public/elfnote.h: the 32-bit PVH entry point. */
    private static final int XEN_ELFNOTE_PHYS32_ENTRY = 18;

    private PvhKernel() {}

    /** The ELF inside {@code bzImage} if it has a PVH entry note; empty if not or if the format is unknown. */
    public static Optional<byte[]> extract(byte[] bzImage) throws IOException {
        if (bzImage.length < 0x250) return Optional.empty();
        var b = ByteBuffer.wrap(bzImage).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getInt(0x202) != 0x53726448 /* "HdrS" */ || Short.toUnsignedInt(b.getShort(0x206)) < 0x208) {
            return hasPvhNote(bzImage) ? Optional.of(bzImage) : Optional.empty();
        }
        int setupSects = Byte.toUnsignedInt(bzImage[0x1f1]);
        if (setupSects == 0) setupSects = 4;
        int start = (setupSects + 1) * 512 + b.getInt(0x248);
        int length = b.getInt(0x24c);
        if (start < 0 || length < 8 || start + length > bzImage.length) return Optional.empty();
        int expected = b.getInt(start + length - 4);
        byte[] elf = decompress(b, start, length - 4);
        if (elf == null || elf.length != expected || !hasPvhNote(elf)) return Optional.empty();
        return Optional.of(elf);
    }

    private static byte[] decompress(ByteBuffer b, int start, int length) throws IOException {
        byte[] all = b.array();
        int magic = b.getInt(start);
        if (magic == LZ4_LEGACY_MAGIC) {
            var out = new ByteArrayOutputStream(64 << 20);
            int pos = start + 4;
            int end = start + length;
            while (pos + 4 <= end) {
                int chunk = b.getInt(pos);
                pos += 4;
                if (chunk == LZ4_LEGACY_MAGIC) continue;
                if (chunk <= 0 || pos + chunk > end) return null;
                try (InputStream in = new BlockLZ4CompressorInputStream(new ByteArrayInputStream(all, pos, chunk))) {
                    in.transferTo(out);
                }
                pos += chunk;
            }
            return out.toByteArray();
        }
        if ((all[start] & 0xff) == 0x1f && (all[start + 1] & 0xff) == 0x8b) {
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(all, start, length))) {
                return in.readAllBytes();
            }
        }
        if ((all[start] & 0xff) == 0xfd && all[start + 1] == '7' && all[start + 2] == 'z') {
            try (InputStream in = new XZInputStream(new ByteArrayInputStream(all, start, length))) {
                return in.readAllBytes();
            }
        }
        return null;
    }

    /** Whether {@code elf} is an ELF64 file with a Xen PHYS32_ENTRY note in a PT_NOTE segment. */
    static boolean hasPvhNote(byte[] elf) {
        if (elf.length < 64 || elf[0] != 0x7f || elf[1] != 'E' || elf[2] != 'L' || elf[3] != 'F' || elf[4] != 2) {
            return false;
        }
        var b = ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN);
        long phoff = b.getLong(0x20);
        int phentsize = Short.toUnsignedInt(b.getShort(0x36));
        int phnum = Short.toUnsignedInt(b.getShort(0x38));
        for (int i = 0; i < phnum; i++) {
            int ph = (int) (phoff + (long) i * phentsize);
            if (ph + 56 > elf.length || b.getInt(ph) != 4 /* PT_NOTE */) continue;
            long off = b.getLong(ph + 8);
            long size = b.getLong(ph + 32);
            long pos = off;
            while (pos + 12 <= off + size && pos + 12 <= elf.length) {
                int namesz = b.getInt((int) pos);
                int descsz = b.getInt((int) pos + 4);
                int type = b.getInt((int) pos + 8);
                int nameAt = (int) pos + 12;
                if (namesz < 0 || descsz < 0 || nameAt + namesz > elf.length) break;
                String name = new String(elf, nameAt, Math.max(0, namesz - 1), StandardCharsets.US_ASCII);
                if (name.equals("Xen") && type == XEN_ELFNOTE_PHYS32_ENTRY) return true;
                pos = nameAt + align4(namesz) + align4(descsz);
            }
        }
        return false;
    }

    private static long align4(int n) {
        return (n + 3L) & ~3L;
    }
}
