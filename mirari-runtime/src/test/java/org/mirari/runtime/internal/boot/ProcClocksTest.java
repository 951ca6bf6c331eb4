package org.mirari.runtime.internal.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ProcClocksTest {
    @Test
    void uptimeIsTheFirstFieldInMilliseconds() {
        assertThat(ProcClocks.uptimeMs("66661.57 43264.58\n")).isEqualTo(66_661_570);
        assertThat(ProcClocks.uptimeMs("3.05 1.00")).isEqualTo(3_050);
        assertThat(ProcClocks.uptimeMs("12 3")).isEqualTo(12_000);
        assertThat(ProcClocks.uptimeMs("0.123")).isEqualTo(123);
    }

    @Test
    void aMalformedUptimeIsMinusOne() {
        for (String bad : new String[] {"", " 1.00 2.00", "x", "1.0000", "1,5 2", "1.5x", "9999999999999.00"}) {
            assertThat(ProcClocks.uptimeMs(bad)).as(bad).isEqualTo(-1);
        }
    }

    @Test
    void startTimeIsField22InTicksOfTenMilliseconds() {
        String stat = "13529 (cat) R 13526 13526 25807 0 -1 4194304 99 0 0 0 0 0 0 0 20 0 1 0 6666156 3133440 393"
                + " 18446744073709551615 94223074766848\n";
        assertThat(ProcClocks.startMs(stat)).isEqualTo(66_661_560);
    }

    @Test
    void aCommandWithSpacesAndParenthesesIsSkippedWhole() {
        String stat = "7 (a) b (c) S 1 7 7 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 250 0 0";
        assertThat(ProcClocks.startMs(stat)).isEqualTo(2_500);
    }

    @Test
    void aShortOrMalformedStatIsMinusOne() {
        for (String bad : new String[] {
            "",
            "7 (a) S 1 2 3",
            "7 a S 1 7 7 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 250",
            "7 (a) S 1 7 7 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 2x5 0"
        }) {
            assertThat(ProcClocks.startMs(bad)).as(bad).isEqualTo(-1);
        }
    }

    @Test
    void thisProcessStartedBeforeNowAndAfterTheSystem() throws Exception {
        if (!Files.isReadable(Path.of("/proc/self/stat"))) return; // not Linux: ProcessHandle answers
        long up = ProcClocks.processUptimeMs().orElseThrow();
        long system = ProcClocks.systemUptimeMs().orElseThrow();
        assertThat(up).isBetween(0L, system);
        // agrees with ProcessHandle's answer, which rounds the boot time to whole seconds
        long handle = Duration.between(
                        ProcessHandle.current().info().startInstant().orElseThrow(), Instant.now())
                .toMillis();
        assertThat(Math.abs(up - handle)).isLessThan(2_000);
    }
}
