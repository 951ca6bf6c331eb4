package org.mirari.tool.image;

import java.nio.file.Path;
import java.util.Objects;

/** One member of an initramfs archive. Paths are absolute inside the guest, without a trailing slash. */
public sealed interface InitramfsEntry {
    String path();

    /** Permission bits (e.g. {@code 0755}); the file type comes from the record kind. */
    int permissions();

    record Directory(String path, int permissions) implements InitramfsEntry {
        public Directory {
            checkPath(path);
        }
    }

    /** A regular file whose bytes come from {@code source} on the host or from {@code data}. */
    record RegularFile(String path, int permissions, Path source, byte[] data) implements InitramfsEntry {
        public RegularFile {
            checkPath(path);
            if ((source == null) == (data == null))
                throw new IllegalArgumentException("exactly one of source and data");
        }

        public static RegularFile of(String path, int permissions, Path source) {
            return new RegularFile(path, permissions, source, null);
        }

        public static RegularFile of(String path, int permissions, byte[] data) {
            return new RegularFile(path, permissions, null, data.clone());
        }
    }

    record Symlink(String path, String target) implements InitramfsEntry {
        public Symlink {
            checkPath(path);
            Objects.requireNonNull(target, "target");
        }

        @Override
        public int permissions() {
            return 0777;
        }
    }

    /** A character device node ({@code /dev/console} must exist before the kernel starts init). */
    record CharDevice(String path, int permissions, int major, int minor) implements InitramfsEntry {
        public CharDevice {
            checkPath(path);
        }
    }

    private static void checkPath(String path) {
        if (!path.startsWith("/")
                || (path.length() > 1 && path.endsWith("/"))
                || path.contains("//")
                || path.contains("/../")
                || path.endsWith("/..")
                || path.contains("/./")
                || path.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("not a clean absolute guest path: " + path);
        }
    }
}
