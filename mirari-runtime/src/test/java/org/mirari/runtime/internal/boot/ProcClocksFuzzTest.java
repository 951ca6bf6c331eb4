package org.mirari.runtime.internal.boot;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Fuzzes the readers of {@code /proc/uptime} and {@code /proc/self/stat}: no exception escapes, and
 * an answer is -1 or a time that is not negative. Seeds in {@code ProcClocksFuzzTestInputs/};
 * run {@code JAZZER_FUZZ=1} to fuzz for real.
 */
class ProcClocksFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void clocks(byte[] data) {
        String text = new String(data, StandardCharsets.ISO_8859_1);
        long up = ProcClocks.uptimeMs(text);
        long start = ProcClocks.startMs(text);
        if (up < -1 || start < -1) throw new IllegalStateException(up + " " + start + " for " + text);
    }
}
