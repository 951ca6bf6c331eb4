package org.mirari.tool.examples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Host programs ({@code ip}, {@code busybox}, {@code curl}...) run to their end for the integration
 * tests that set up taps and network namespaces, each bounded by a minute.
 */
public final class HostCommands {
    private HostCommands() {}

    /** {@code cmd}'s exit code and output (both streams), as {@code "code:output"}. */
    public static String exec(String... cmd) throws IOException, InterruptedException {
        var p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        var out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        // the output ends when the process does; the wait only reaps it
        if (!p.waitFor(60, TimeUnit.SECONDS))
            throw new AssertionError(String.join(" ", cmd) + " did not end; output:\n" + out);
        return p.exitValue() + ":" + out;
    }

    /** Runs {@code cmd}; fails with its output unless it exits 0. */
    public static void sh(String... cmd) throws IOException, InterruptedException {
        var r = exec(cmd);
        if (!r.startsWith("0:")) throw new AssertionError(String.join(" ", cmd) + " failed: " + r);
    }

    /** {@link #exec} of {@code cmd} inside the network namespace {@code ns}. */
    public static String inNs(String ns, String... cmd) throws IOException, InterruptedException {
        var full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        full.addAll(List.of(cmd));
        return exec(full.toArray(String[]::new));
    }
}
