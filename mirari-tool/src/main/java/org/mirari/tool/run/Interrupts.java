package org.mirari.tool.run;

import java.io.IOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Makes SIGINT and SIGTERM end the tool (through its shutdown hooks, which stop the app) while an
 * app runs. Shells start background jobs without job control with SIGINT ignored, and the JVM
 * keeps an ignored shutdown signal ignored: a supervisor's Ctrl-C would then stop nothing and the
 * app would outlive the tool. So an inherited "ignore" on SIGINT is first reset with libc's
 * {@code signal(2)} (through the FFM API), then the JVM's own handler is installed.
 */
final class Interrupts {
    private static final int SIGINT = 2;
    private static final long SIG_DFL = 0;
    private static final long SIG_IGN = 1;

    private Interrupts() {}

    /** Whether this process ignores SIGINT, from the {@code SigIgn} mask of {@code /proc/self/status}. */
    static boolean sigintIgnored() {
        try {
            for (var line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
                if (line.startsWith("SigIgn:")) {
                    return (Long.parseUnsignedLong(line.substring(7).strip(), 16) & (1L << (SIGINT - 1))) != 0;
                }
            }
            return false;
        } catch (java.io.IOException | RuntimeException e) {
            return true; // cannot tell: reset it to be safe
        }
    }

    /** Installs the handlers; returns the previous ones for {@link #restore}. */
    static Map<Signal, SignalHandler> exitOnSignals() {
        unignoreSigint();
        var previous = new LinkedHashMap<Signal, SignalHandler>();
        for (var name : new String[] {"INT", "TERM"}) {
            try {
                var signal = new Signal(name);
                previous.put(signal, Signal.handle(signal, s -> System.exit(130)));
            } catch (IllegalArgumentException e) {
                // The signal is reserved here (-Xrs) or unknown: the JVM's default stays.
            }
        }
        return previous;
    }

    static void restore(Map<Signal, SignalHandler> previous) {
        previous.forEach((signal, handler) -> {
            try {
                Signal.handle(signal, handler);
            } catch (IllegalArgumentException e) {
                // as above
            }
        });
    }

    /** The part of a foreground run that waits for the app: its exit code. */
    interface Body {
        int run() throws IOException, InterruptedException;
    }

    /**
     * Runs {@code body} with Ctrl-C and SIGTERM ending the tool through a shutdown hook that runs
     * {@code stop}, which stops the app and must end by halting the JVM (with 130). Should that
     * happen while {@code body} runs, this thread waits for the halt instead of returning an exit
     * code of its own; otherwise the hook and the signal handlers are undone before it returns.
     */
    static int stoppable(Runnable stop, Body body) throws IOException, InterruptedException {
        var stopping = new AtomicBoolean();
        var hook = Thread.ofPlatform().unstarted(() -> {
            stopping.set(true);
            stop.run();
        });
        Runtime.getRuntime().addShutdownHook(hook);
        var previous = exitOnSignals();
        try {
            try {
                return body.run();
            } finally {
                // The tool is being stopped: its shutdown hook stops the app and ends the tool with 130.
                if (stopping.get()) hook.join();
            }
        } finally {
            restore(previous);
            if (!stopping.get()) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // The hook is running or about to; it owns the end.
                }
            }
        }
    }

    /** If SIGINT is ignored (inherited), sets it to the default so the JVM accepts a handler for it. */
    private static void unignoreSigint() {
        // Linking a native call costs more than the rest of a quick start: only when needed.
        if (!sigintIgnored()) return;
        try {
            var linker = Linker.nativeLinker();
            var signal = linker.downcallHandle(
                    linker.defaultLookup().find("signal").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
            var old = (MemorySegment) signal.invokeExact(SIGINT, MemorySegment.ofAddress(SIG_DFL));
            if (old.address() != SIG_IGN) {
                // It was not ignored: put back what was there (the JVM's handler or the default).
                var unused = (MemorySegment) signal.invokeExact(SIGINT, old);
            }
        } catch (Throwable e) {
            // No native access (or no libc signal): Ctrl-C still works from a terminal.
        }
    }
}
