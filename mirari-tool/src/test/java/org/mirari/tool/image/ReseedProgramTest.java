package org.mirari.tool.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The guest's restore-line reader ({@code /bin/mirari-reseed}) runs as a static x86-64 program here
 * too, with a pipe for its serial port and a file for its FIFO (fd 3): each {@code mirari-restore}
 * line, whole or in pieces, is handed over as its words after the prefix, other lines are not, and
 * it ends with its input (exit 0). Only malformed times are given: a well-formed one would set this
 * host's clock (SnapshotIT's Date checks try it in a VM). The kernel RNG's reseed succeeds as root
 * (both ioctls; adding entropy to this host's pool is harmless) and is refused otherwise: either
 * way a failed step is said on stdout and the line is still handed over.
 */
class ReseedProgramTest {
    @TempDir
    Path dir;

    @Test
    void eachRestoreLineIsHandedOnAfterTheReseed() throws Exception {
        Path program = dir.resolve("mirari-reseed");
        try (var in = VmImageBuilder.class.getResourceAsStream("mirari-reseed")) {
            Files.write(program, in.readAllBytes());
        }
        Files.setPosixFilePermissions(program, PosixFilePermissions.fromString("rwx------"));
        assertThat(Files.size(program)).isLessThan(2048);
        Path fifo = dir.resolve("fifo");
        var p = new ProcessBuilder("sh", "-c", "exec \"$0\" 3>\"$1\"", program.toString(), fifo.toString())
                .redirectErrorStream(true)
                .start();
        try (var in = p.getOutputStream()) {
            for (String piece : new String[] {
                "not a restore line\nmirari-restore gen=1 time=12x.000 seed=00112233 jseed=44\n",
                "mirari-restore gen=2 time=1.00 seed=aa",
                " jseed=bb\nmirari-restore gen=3 time=.123 seed=cc\nmirari-restored gen=3\n",
            }) {
                in.write(piece.getBytes(StandardCharsets.US_ASCII));
                in.flush();
            }
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        assertThat(Files.readAllLines(fifo))
                .containsExactly(
                        "gen=1 time=12x.000 seed=00112233 jseed=44",
                        "gen=2 time=1.00 seed=aa jseed=bb",
                        "gen=3 time=.123 seed=cc");
        // The clock refused each time (malformed); the RNG too when not root.
        assertThat(out.lines())
                .hasSize(3)
                .containsOnly("mirari-vm: restore: the clock could not be set or the kernel RNG reseeded");
    }

    /**
     * The committed program is exactly what its source assembles to, with the commands its header
     * names, so the binary in the image is reviewable as text. binutils is in CI's package list.
     */
    @Test
    void theProgramIsItsSourceAssembled() throws Exception {
        Path source = dir.resolve("mirari-reseed.s");
        try (var in = VmImageBuilder.class.getResourceAsStream("mirari-reseed.s")) {
            Files.write(source, in.readAllBytes());
        }
        Path object = dir.resolve("r.o");
        Path built = dir.resolve("built");
        tool("as", "-o", object.toString(), source.toString());
        tool(
                "ld",
                "-static",
                "-nostdlib",
                "-N",
                "-s",
                "--build-id=none",
                "-z",
                "noseparate-code",
                "-o",
                built.toString(),
                object.toString());
        try (var in = VmImageBuilder.class.getResourceAsStream("mirari-reseed")) {
            assertThat(Files.readAllBytes(built)).isEqualTo(in.readAllBytes());
        }
    }

    void tool(String... command) throws Exception {
        var p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ": " + out).isZero();
    }

    @Test
    void theInitIsValidShell() throws Exception {
        Path init = dir.resolve("init");
        try (var in = VmImageBuilder.class.getResourceAsStream("init.sh")) {
            Files.write(init, in.readAllBytes());
        }
        var p = new ProcessBuilder("sh", "-n", init.toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
    }
}
