package org.mirari.runtime.internal.boot;

import java.util.OptionalLong;

/**
 * The two clocks of the readiness lines on Linux, read from {@code /proc} by hand: the system's
 * uptime ({@code /proc/uptime}, seconds with two decimals) and when this process started
 * ({@code starttime}, field 22 of {@code /proc/self/stat}, in clock ticks since boot on the same
 * clock). Why not {@code ProcessHandle.current().info().startInstant()} and
 * {@code String.split("\\s+")}: under an emulator (TCG) the first {@code info()} took 80-130 ms
 * of a boot (it reads several {@code /proc} files and looks up the process's user), and a regular
 * expression's first match tens more; this reads two small files with a few loops. It is also
 * exact: {@code startInstant()} adds the ticks to the boot time of {@code /proc/stat}, which is
 * whole seconds.
 */
final class ProcClocks {
    /**
     * Clock ticks per second in {@code /proc/<pid>/stat}: {@code USER_HZ}, which Linux fixes at 100
     * for user space on x86, arm and riscv whatever the kernel's own {@code CONFIG_HZ}.
     */
    static final int USER_HZ = 100;

    private ProcClocks() {}

    /** Milliseconds since this process started, when {@code /proc} tells. */
    static OptionalLong processUptimeMs() {
        return processUptimeMs(systemUptimeMs());
    }

    /** The same, from a system uptime already read (one read of {@code /proc/uptime} for both clocks). */
    static OptionalLong processUptimeMs(OptionalLong systemUptimeMs) {
        if (systemUptimeMs.isEmpty()) return OptionalLong.empty();
        long start = startMs(ProcFiles.text("/proc/self/stat"));
        return start < 0 ? OptionalLong.empty() : OptionalLong.of(Math.max(0, systemUptimeMs.getAsLong() - start));
    }

    /** Milliseconds since the system booted ({@code /proc/uptime}), when {@code /proc} tells. */
    static OptionalLong systemUptimeMs() {
        long up = uptimeMs(ProcFiles.text("/proc/uptime"));
        return up < 0 ? OptionalLong.empty() : OptionalLong.of(up);
    }

    /**
     * The first field of {@code /proc/uptime} ({@code "12345.67 23456.78\n"}) in milliseconds, or -1
     * unless it is digits, optionally a point and up to three more digits (the kernel writes two).
     */
    static long uptimeMs(String text) {
        int i = 0;
        long ms = 0;
        int digits = 0;
        while (i < text.length() && isDigit(text.charAt(i))) {
            if (++digits > 12) return -1; // more than 31,000 years
            ms = ms * 10 + (text.charAt(i++) - '0');
        }
        if (digits == 0) return -1;
        ms *= 1_000;
        if (i < text.length() && text.charAt(i) == '.') {
            i++;
            for (int scale = 100; i < text.length() && isDigit(text.charAt(i)); scale /= 10, i++) {
                if (scale == 0) return -1;
                ms += (text.charAt(i) - '0') * scale;
            }
        }
        return i == text.length() || text.charAt(i) == ' ' || text.charAt(i) == '\n' ? ms : -1;
    }

    /**
     * {@code starttime} of a {@code /proc/<pid>/stat} line in milliseconds, or -1 when the line has
     * no such field. The second field is the command in parentheses, which may itself hold spaces
     * and parentheses (a thread may name itself {@code "a) b"}), so fields are counted from the last
     * {@code ')'}: after it come field 3 (state) to 52, and {@code starttime} is the 20th of them.
     */
    static long startMs(String stat) {
        int i = stat.lastIndexOf(')');
        if (i < 0) return -1;
        i++;
        for (int field = 3; field < 22; field++) {
            // each field is one space and a token
            if (i >= stat.length() || stat.charAt(i) != ' ') return -1;
            i++;
            while (i < stat.length() && stat.charAt(i) != ' ') i++;
        }
        if (i >= stat.length() || stat.charAt(i) != ' ') return -1;
        i++;
        long ticks = 0;
        int digits = 0;
        for (; i < stat.length() && isDigit(stat.charAt(i)); i++) {
            if (++digits > 15) return -1;
            ticks = ticks * 10 + (stat.charAt(i) - '0');
        }
        if (digits == 0 || i < stat.length() && stat.charAt(i) != ' ' && stat.charAt(i) != '\n') return -1;
        return ticks * (1_000 / USER_HZ);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
