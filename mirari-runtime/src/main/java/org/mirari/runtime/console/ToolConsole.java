package org.mirari.runtime.console;

import java.util.Locale;

/**
 * How the {@code mirari} tool's console reads and how a run ends, written once: the tool renders
 * its events with it, and an app that the launcher started in the tool's place
 * ({@code -Dmirari.run.console}, {@code mirari run}'s quick path) prints its readiness and ends
 * with it, so the two paths cannot drift apart. Not for apps to call.
 */
public final class ToolConsole {
    /** Every line of Mirari's own, on stderr. */
    public static final String PREFIX = "mirari: ";

    /** The exit code of a run stopped by Ctrl-C or SIGTERM. */
    public static final int EXIT_INTERRUPTED = 130;

    /** The exit code of a run that cannot happen here: a port that cannot be bound, a missing hypervisor. */
    public static final int EXIT_CANNOT_RUN = 5;

    private ToolConsole() {}

    /** {@code ready: listening http://127.0.0.1:8080/ (0.4 s)}: a readiness line {@code millis} after the start. */
    public static String ready(String phase, String detail, long millis) {
        return "ready: " + phase + (detail.isEmpty() ? "" : " " + detail) + " (" + seconds(millis) + ")";
    }

    /** {@code 0.4 s}. */
    public static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }
}
