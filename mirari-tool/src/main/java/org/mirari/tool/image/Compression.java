package org.mirari.tool.image;

import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.GZIPOutputStream;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

/**
 * How the initramfs is compressed. Both are deterministic for the same input and both are
 * unpacked by the kernel (Debian's cloud kernel has {@code CONFIG_RD_GZIP} and {@code CONFIG_RD_XZ}).
 * gzip is the default: under TCG the kernel inflates it several times faster than it decodes xz,
 * which outweighs the smaller file (see the README's measurements).
 */
public enum Compression {
    GZIP,
    /** Smaller; the kernel's XZ decoder needs CRC32 (not CRC64) checks. */
    XZ;

    public OutputStream wrap(OutputStream out) throws IOException {
        return switch (this) {
            // GZIPOutputStream writes a fixed header (no name, mtime 0), so the bytes depend only on the
            // input. Level 6: measured on hello's 71 MB archive, level 9 took three times as long for 0.7% less.
            case GZIP -> new GZIPOutputStream(out, 1 << 16);
            case XZ -> new XZOutputStream(out, new LZMA2Options(6), org.tukaani.xz.XZ.CHECK_CRC32);
        };
    }
}
