package org.mirari.tool.image;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

/**
 * How the initramfs is compressed. Each is deterministic for the same input and unpacked by
 * Debian's cloud kernel ({@code CONFIG_RD_GZIP}, {@code _XZ}, {@code _ZSTD}).
 *
 * <p>Measured on hello's 71 MB archive (2026-12-01, TCG, load 4-6): the guest reached its init
 * 5.4 s after the kernel started with zstd, 5.8 s with lz4, 10-11 s with gzip and 19 s with xz;
 * the files were 18.1, 26.9, 23.4 and 16.4 MB. zstd is the default: smallest but for xz, whose
 * decoder is the slowest under emulation, and the fastest to unpack.
 */
public enum Compression {
    GZIP("gzip"),
    /** Smaller; the kernel's XZ decoder needs CRC32 (not CRC64) checks; slow to unpack under TCG. */
    XZ("xz"),
    /**
     * Level 19 with its default 8 MiB window (the kernel allocates the window while it unpacks, so
     * {@code --long} or {@code --ultra} would cost guest memory). Made by the host's {@code zstd}
     * (Debian package zstd): its output is the same for any thread count.
     */
    ZSTD("zstd");

    private final String label;

    Compression(String label) {
        this.label = label;
    }

    /** The name shown beside the initrd's size. */
    public String label() {
        return label;
    }

    /** Whether this machine can make it: zstd needs the host's {@code zstd}. */
    public boolean available() {
        return this != ZSTD || Exec.which("zstd").isPresent();
    }

    /** A stream that compresses into {@code out}; only for the formats made in Java (gzip, xz). */
    public OutputStream wrap(OutputStream out) throws IOException {
        return switch (this) {
            // GZIPOutputStream writes a fixed header (no name, mtime 0), so the bytes depend only on the
            // input. Level 6: measured on hello's 71 MB archive, level 9 took three times as long for 0.7% less.
            case GZIP -> new GZIPOutputStream(out, 1 << 16);
            case XZ -> new XZOutputStream(out, new LZMA2Options(6), org.tukaani.xz.XZ.CHECK_CRC32);
            case ZSTD -> throw new IllegalStateException("zstd is made by the host's zstd; use compress()");
        };
    }

    /** Compresses the file {@code in} into {@code out}. */
    public void compress(Path in, Path out) throws IOException {
        if (this == ZSTD) {
            Exec r = Exec.run(
                    null,
                    List.of(
                            Exec.which("zstd").orElseThrow().toString(),
                            "-19",
                            "-T0",
                            "-q",
                            "-f",
                            "--no-progress",
                            in.toString(),
                            "-o",
                            out.toString()));
            if (!r.ok()) throw new IOException("zstd failed: " + r.lastLine());
            return;
        }
        try (var os = wrap(new java.io.BufferedOutputStream(Files.newOutputStream(out), 1 << 16))) {
            Files.copy(in, os);
        }
    }
}
