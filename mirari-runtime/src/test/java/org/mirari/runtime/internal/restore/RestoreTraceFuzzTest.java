package org.mirari.runtime.internal.restore;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Fuzzes the reading of kernel-log records back into a restore's trace: no exception escapes, and
 * the report is one line that starts as every report does. Seeds in {@code
 * RestoreTraceFuzzTestInputs/steps/}; run {@code JAZZER_FUZZ=1} to fuzz for real.
 */
class RestoreTraceFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void steps(byte[] data) {
        List<String> records =
                new String(data, StandardCharsets.ISO_8859_1).lines().toList();
        String report = RestoreTrace.report(3, "1.000", records);
        if (!report.startsWith("mirari-vm: restore-trace gen=3 ") || report.contains("\n"))
            throw new IllegalStateException(report);
    }
}
