package org.mirari.runtime.internal.boot;

import java.io.PrintStream;

/**
 * A debug switch for where a boot's time goes: with {@code -Dmirari.boot.trace=true} (in a VM:
 * {@code mirari run --qemu --set jvm-options=-Dmirari.boot.trace=true}, or
 * {@code "MIRARI_JVM_OPTIONS=-Dmirari.boot.trace=true"} on the kernel command line) each step of
 * the boot prints {@code mirari-trace: <step> <ms>} to the stream {@link org.mirari.runtime.Mirari}
 * gives it (stderr), in milliseconds of {@link System#nanoTime} since the runtime's first class was
 * initialized. Off (the default) a step is one test of a constant. The lines are built with a {@code StringBuilder}, not {@code +}: a
 * string concatenation of a shape the AOT cache's training never ran spins method handles at run
 * time, which would make the trace itself a cost under an emulator.
 */
public final class BootTrace {
    private static final boolean ON = Boolean.getBoolean("mirari.boot.trace");
    private static final long START = System.nanoTime();
    private static volatile PrintStream sink;

    private BootTrace() {}

    /** Where the steps go from now on, when tracing (until then, and without one, nowhere). */
    public static void to(PrintStream err) {
        if (ON) sink = err;
    }

    /** Prints that {@code step} is done, when tracing. */
    public static void step(String step) {
        PrintStream err = sink;
        if (!ON || err == null) return;
        long us = (System.nanoTime() - START) / 1_000;
        err.println(new StringBuilder("mirari-trace: ")
                .append(step)
                .append(' ')
                .append(us / 1_000)
                .append('.')
                .append((char) ('0' + us / 100 % 10))
                .append(" ms"));
    }
}
