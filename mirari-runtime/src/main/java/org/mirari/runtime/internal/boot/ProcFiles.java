package org.mirari.runtime.internal.boot;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Small {@code /proc} files read whole, for the boot's own readers ({@link ProcClocks},
 * {@link DefaultRoute}). A {@code FileInputStream}, not {@code Files.readString}: the first read
 * through {@code java.nio.file} cost about 50 ms of a boot under an emulator (TCG), and nothing
 * else in a VM's boot needs it.
 */
final class ProcFiles {
    private ProcFiles() {}

    /** The file's text (ISO-8859-1: {@code /proc} writes ASCII), or "" when it cannot be read (not Linux). */
    static String text(String file) {
        try (var in = new FileInputStream(file)) {
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        } catch (IOException | RuntimeException e) {
            return ""; // the readers take it as malformed: no answer
        }
    }
}
