package org.mirari.tool.image;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A read-only squashfs image of a directory, made by the host's {@code mksquashfs} (Debian
 * package squashfs-tools), for the parts of the guest that would otherwise sit unpacked in its
 * memory: the kernel keeps an initramfs entirely in RAM, while a squashfs file in it is
 * decompressed page by page as the JVM reads it, and those pages can be dropped again.
 *
 * <p>How the blocks are stored depends on where the image lives ({@link Packing}): a read-only disk
 * takes no guest memory, so its blocks are stored as they are and the guest only copies them; an
 * image inside the initramfs sits in guest memory, so it is compressed with zstd (level 19), which
 * Debian's cloud kernel decompresses ({@code CONFIG_SQUASHFS_ZSTD}); its erofs has LZ4 only, whose
 * 4 KiB clusters made hello's runtime 26.6 MB. zstd against the other compressors (128 KiB blocks,
 * hello, TCG, JVM start to listening): zstd 19.2 MB for the two images, 4.2-5.1 s; xz with the x86
 * filter 16.8 MB, 8.8-9.2 s; gzip 21.6 MB, 4.3-4.8 s; lz4 25.5 MB, 3.7-4.2 s; uncompressed 66.5
 * MB (see {@link Packing#STORED} for what it saves). Blocks of {@value #BLOCK} bytes, not 1 MiB (14.2 MB with zstd, the smallest): the kernel
 * keeps four blocks per mounted image in unreclaimable memory (three cached fragments and one
 * read buffer: 8 MiB for the two images at 1 MiB), and it decompresses a whole block, putting all
 * of its pages in the page cache, for any page the JVM touches, so a guest short of memory
 * re-reads and decompresses a whole block for each page it evicted. Reproducible: squashfs-tools 4.5 builds the same
 * bytes for the same tree by default (any thread count); owners are root, every time is
 * {@code mtime}, and no extended attributes are stored.
 */
final class SquashFs {
    static final String BLOCK = "128K";

    /** How the blocks of an image are stored. */
    enum Packing {
        /**
         * zstd -19, for an image in the initramfs (a UEFI disk's), which the guest holds in memory
         * whole.
         */
        ZSTD("zstd-19", List.of("-comp", "zstd", "-Xcompression-level", "19")),
        /**
         * Not compressed (inodes, ids, data, fragments, xattrs), for an image on a read-only disk
         * (QEMU's virtio-blk, Xen's blkfront), which takes no guest memory either way: under TCG,
         * decompressing zstd was 0.5-0.7 s of the guest's system time before hello listened (bench/vm
         * boot, the guest's /proc/stat), and the page cache holds the same pages afterwards.
         */
        STORED("uncompressed", List.of("-noI", "-noId", "-noD", "-noF", "-noX"));

        private final String key;
        private final List<String> options;

        Packing(String key, List<String> options) {
            this.key = key;
            this.options = options;
        }

        /** What goes into a cache key for images packed this way. */
        String key() {
            return key;
        }
    }

    private SquashFs() {}

    /** Whether this machine can make images. */
    static boolean available() {
        return Exec.which("mksquashfs").isPresent();
    }

    /** Makes {@code out} from the tree {@code dir}, every inode timestamped {@code mtime}. */
    static void make(Path dir, Path out, long mtime, Packing packing) throws IOException {
        String time = Long.toString(mtime);
        var command = new java.util.ArrayList<String>(List.of(
                Exec.which("mksquashfs").orElseThrow().toString(), dir.toString(), out.toString(), "-noappend"));
        command.addAll(packing.options);
        command.addAll(List.of(
                "-b",
                BLOCK,
                "-all-root",
                "-no-xattrs",
                "-mkfs-time",
                time,
                "-all-time",
                time,
                "-no-progress",
                "-quiet"));
        Exec r = Exec.run(null, command);
        if (!r.ok()) throw new IOException("mksquashfs failed: " + r.lastLine());
    }
}
