package org.mirari.tool.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.compressors.lz4.BlockLZ4CompressorOutputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class PvhKernelTest {
    /** A minimal ELF64 with one PT_NOTE segment holding a note {@code name}/{@code type}, padded to {@code size}. */
    static byte[] elf(String name, int type, int size) {
        var b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1});
        b.putLong(0x20, 64); // e_phoff
        b.putShort(0x36, (short) 56); // e_phentsize
        b.putShort(0x38, (short) 1); // e_phnum
        int note = 64 + 56;
        b.putInt(64, 4); // PT_NOTE
        b.putLong(64 + 8, note);
        b.putLong(64 + 32, 12 + 4 + 4);
        b.putInt(note, name.length() + 1);
        b.putInt(note + 4, 4);
        b.putInt(note + 8, type);
        b.put(note + 12, name.getBytes(), 0, name.length());
        for (int i = note + 20; i < size; i++) b.put(i, (byte) (i * 31));
        return b.array();
    }

    /** A bzImage-shaped file: boot protocol 2.15 header, then the payload and its uncompressed size. */
    static byte[] bzImage(byte[] payload, int uncompressedSize) {
        int setupSects = 3;
        int start = (setupSects + 1) * 512;
        int payloadOffset = 0x100;
        var b = ByteBuffer.allocate(start + payloadOffset + payload.length + 4 + 64)
                .order(ByteOrder.LITTLE_ENDIAN);
        b.put(0x1f1, (byte) setupSects);
        b.putInt(0x202, 0x53726448);
        b.putShort(0x206, (short) 0x20f);
        b.putInt(0x248, payloadOffset);
        b.putInt(0x24c, payload.length + 4);
        b.put(start + payloadOffset, payload);
        b.putInt(start + payloadOffset + payload.length, uncompressedSize);
        return b.array();
    }

    static byte[] lz4Legacy(byte[] data, int chunk) throws Exception {
        var out = new ByteArrayOutputStream();
        var header = ByteBuffer.allocate(4)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putInt(0x184C2102)
                .array();
        out.write(header);
        for (int off = 0; off < data.length; off += chunk) {
            var block = new ByteArrayOutputStream();
            try (var lz4 = new BlockLZ4CompressorOutputStream(block)) {
                lz4.write(data, off, Math.min(chunk, data.length - off));
            }
            out.write(ByteBuffer.allocate(4)
                    .order(ByteOrder.LITTLE_ENDIAN)
                    .putInt(block.size())
                    .array());
            block.writeTo(out);
        }
        return out.toByteArray();
    }

    @Test
    void extractsAnLz4CompressedElfWithAPvhNote() throws Exception {
        byte[] vmlinux = elf("Xen", 18, 300_000);
        var got = PvhKernel.extract(bzImage(lz4Legacy(vmlinux, 100_000), vmlinux.length));
        assertThat(got)
                .hasValueSatisfying(v -> assertThat(Arrays.equals(v, vmlinux)).isTrue());
    }

    @Test
    void extractsAGzipPayload() throws Exception {
        byte[] vmlinux = elf("Xen", 18, 5000);
        var gz = new ByteArrayOutputStream();
        try (var out = new GZIPOutputStream(gz)) {
            out.write(vmlinux);
        }
        assertThat(PvhKernel.extract(bzImage(gz.toByteArray(), vmlinux.length))).isPresent();
    }

    @Test
    void noPvhNoteOrAWrongSizeMeansNoElf() throws Exception {
        byte[] plain = elf("GNU", 3, 5000);
        assertThat(PvhKernel.extract(bzImage(lz4Legacy(plain, 4096), plain.length)))
                .isEmpty();
        byte[] pvh = elf("Xen", 18, 5000);
        assertThat(PvhKernel.extract(bzImage(lz4Legacy(pvh, 4096), pvh.length + 1)))
                .isEmpty();
        assertThat(PvhKernel.extract(new byte[100])).isEmpty();
        // An ELF given as the kernel is kept as it is when it has the note.
        assertThat(PvhKernel.extract(Arrays.copyOf(pvh, 0x300))).isPresent();
    }

    /**
     * Debian's cloud kernel itself, from the cache, fetched into it once if a VM build has not
     * done so yet (a fresh machine runs the unit tests before any VM build).
     */
    @Test
    void debiansCloudKernelHasAPvhElfInside() throws Exception {
        Assumptions.assumeTrue(
                Files.isExecutable(Path.of("/usr/bin/apt-get")), "no apt-get to fetch Debian's kernel with");
        Path cache = new org.mirari.tool.backend.Host(org.mirari.tool.context.ToolContext.ofProcess()).cacheDir();
        var kernel = new KernelCache(cache, org.mirari.tool.event.EventSink.none()).kernel(java.util.Optional.empty());
        var elf = PvhKernel.extract(Files.readAllBytes(kernel.bzImage()));
        assertThat(elf).isPresent();
        assertThat(PvhKernel.hasPvhNote(elf.get())).isTrue();
    }
}
