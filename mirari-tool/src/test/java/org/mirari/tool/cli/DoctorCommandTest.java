package org.mirari.tool.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mirari doctor}'s table for people: each row, the fix under what is missing, then the targets. */
class DoctorCommandTest {
    @TempDir
    Path dir;

    @Test
    void aMissingProgramIsARowWithItsFixAndItsTargetsAreNotHere() {
        var out = new ByteArrayOutputStream();
        var context = new CliContext(
                dir,
                // An empty PATH: no QEMU, no runc, no node; the local repository in the test's home.
                Map.of("PATH", dir.toString(), "HOME", dir.toString()),
                dir,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        int code = MirariCli.run(new String[] {"doctor", "--no-color"}, context);
        var table = out.toString(StandardCharsets.UTF_8);
        assertThat(code).as(table).isZero();
        assertThat(table)
                .startsWith("CHECK ")
                .containsPattern("\nqemu +missing +qemu,ec2 +qemu-system-x86_64 is not on PATH\n +fix: sudo apt-get"
                        + " install qemu-system-x86\n")
                .containsPattern("\n--qemu +not here \\(missing: qemu\\)\n")
                .containsPattern("\n--socket +works")
                .doesNotContain("\u001b");
    }
}
