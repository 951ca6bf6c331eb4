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
 * <p>zstd (level 19) because Debian's cloud kernel decompresses it ({@code CONFIG_SQUASHFS_ZSTD});
 * its erofs has LZ4 only. Blocks of {@value #BLOCK} bytes: measured on hello's runtime, 1 MiB
 * blocks gave 14.2 MB and 128 KiB blocks 15.7 MB. Reproducible: squashfs-tools 4.5 builds the same
 * bytes for the same tree by default (any thread count); owners are root, every time is
 * {@code mtime}, and no extended attributes are stored.
 */
final class SquashFs {
    static final String BLOCK = "1M";

    private SquashFs() {}

    /** Whether this machine can make images. */
    static boolean available() {
        return Exec.which("mksquashfs").isPresent();
    }

    /** Makes {@code out} from the tree {@code dir}, every inode timestamped {@code mtime}. */
    static void make(Path dir, Path out, long mtime) throws IOException {
        String time = Long.toString(mtime);
        Exec r = Exec.run(
                null,
                List.of(
                        Exec.which("mksquashfs").orElseThrow().toString(),
                        dir.toString(),
                        out.toString(),
                        "-noappend",
                        "-comp",
                        "zstd",
                        "-Xcompression-level",
                        "19",
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
        if (!r.ok()) throw new IOException("mksquashfs failed: " + r.lastLine());
    }
}
