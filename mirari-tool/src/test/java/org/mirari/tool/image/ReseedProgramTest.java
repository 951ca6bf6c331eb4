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
 * The guest's kernel-RNG reseed program ({@code /bin/mirari-reseed}) runs as a static x86-64
 * program here too: with root's CAP_SYS_ADMIN both ioctls succeed (exit 0; adding entropy to this
 * host's pool is harmless), without it RNDADDENTROPY is refused (exit 1); never a crash or an
 * exec failure. No input is exit 1 before any call, and so is a malformed time argument.
 */
class ReseedProgramTest {
    @TempDir
    Path dir;

    int run(Path program, String input, String... args) throws Exception {
        var command = new java.util.ArrayList<String>(java.util.List.of(program.toString()));
        command.addAll(java.util.List.of(args));
        var p = new ProcessBuilder(command).start();
        try (var in = p.getOutputStream()) {
            in.write(input.getBytes(StandardCharsets.US_ASCII));
        } catch (java.io.IOException e) {
            // it ended without reading (a malformed time): its exit code says so
        }
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return p.exitValue();
    }

    @Test
    void theProgramRunsAndAnswersWithItsExitCode() throws Exception {
        Path program = dir.resolve("mirari-reseed");
        try (var in = VmImageBuilder.class.getResourceAsStream("mirari-reseed")) {
            Files.write(program, in.readAllBytes());
        }
        Files.setPosixFilePermissions(program, PosixFilePermissions.fromString("rwx------"));
        assertThat(Files.size(program)).isLessThan(1024);
        boolean root = "root".equals(System.getProperty("user.name"));
        assertThat(run(program, "00112233445566778899aabbccddeeff\n")).isEqualTo(root ? 0 : 1);
        assertThat(run(program, "")).isEqualTo(1);
        // A malformed time is refused before any call. (A well-formed one would set this host's
        // clock, so it is tried only in a VM: SnapshotIT's Date checks.)
        for (String time : new String[] {"12x.000", "1.0000", "1.00", "", ".12", "1796160000"})
            assertThat(run(program, "00112233445566778899aabbccddeeff\n", time))
                    .as(time)
                    .isEqualTo(1);
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
