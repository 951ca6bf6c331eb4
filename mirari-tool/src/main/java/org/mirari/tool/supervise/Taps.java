package org.mirari.tool.supervise;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Taps a killed run may have left: a tap that a run created carries the alias {@code mirari-run}
 * (see {@code backend.TapPlan}), so {@code mirari rm -f} removes only taps that Mirari made, never a
 * persistent tap of the user's.
 */
final class Taps {
    static final String ALIAS = org.mirari.tool.backend.TapPlan.TAP_ALIAS;

    private Taps() {}

    /** Whether {@code tap} exists and was made by a run. */
    static boolean isLeftover(String tap) {
        var sys = Path.of("/sys/class/net", tap);
        try {
            return Files.isDirectory(sys)
                    && ALIAS.equals(Files.readString(sys.resolve("ifalias")).strip());
        } catch (IOException e) {
            return false;
        }
    }

    /** Removes {@code tap} ({@code ip link del}); best effort. */
    static void delete(String tap) throws InterruptedException {
        try {
            var p = new ProcessBuilder("ip", "link", "del", "dev", tap)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) p.destroyForcibly();
        } catch (IOException e) {
            // no ip: nothing more to do here
        }
    }
}
