package org.mirari.tool.hosttool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Children that die with the thread that started them ({@code setpriv --pdeathsig KILL}). */
class OrphansTest {
    @BeforeEach
    void needsSetpriv() {
        Assumptions.assumeTrue(Orphans.available(), "setpriv is not installed");
    }

    /**
     * The kernel's half of "no orphans": a process started under {@link Orphans#guard} is killed when
     * the thread that started it ends, as it is when the whole tool is killed with SIGKILL. The thread
     * ends once the child runs its command (its death signal is armed by then).
     */
    @Test
    void aGuardedChildDiesWithTheThreadThatStartedIt() throws Exception {
        var child = new AtomicReference<Process>();
        // setpriv sets the death signal only once it runs, and a thread that ends before then
        // leaves nothing to watch: the starter ends only after the child has said it is up
        // (it speaks after setpriv's exec, so the signal is armed by then).
        var starter = Thread.ofPlatform().start(() -> {
            try {
                var process = new ProcessBuilder(Orphans.guard(List.of("sh", "-c", "echo up; exec sleep 60")))
                        .redirectErrorStream(true)
                        .start();
                child.set(process);
                assertThat(firstLine(process)).isEqualTo("up");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        starter.join();
        assertThat(child.get().waitFor(10, TimeUnit.SECONDS))
                .as("the child outlived its starter")
                .isTrue();
        assertThat(child.get().exitValue()).isEqualTo(128 + 9);
    }

    @Test
    void aGuardedCommandKeepsItsArgumentsAndExitCode() throws Exception {
        var p = new ProcessBuilder(Orphans.guard(List.of("sh", "-c", "echo \"$1|$2\"; exit 7", "x", "a b", "")))
                .redirectErrorStream(true)
                .start();
        assertThat(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                .isEqualTo("a b|\n");
        assertThat(p.waitFor()).isEqualTo(7);
    }

    /**
     * A virtual thread's carrier may end whenever the scheduler likes, which would kill the child:
     * {@link Orphans#start} forks from a platform thread of its own, which lives exactly as long as
     * the child, and hands the caller the child itself (the command's pid, output and exit code).
     */
    @Test
    void startFromAVirtualThreadForksOnAThreadThatLivesAsLongAsTheChild() throws Exception {
        var child = new AtomicReference<Process>();
        Thread.ofVirtual()
                .start(() -> {
                    try {
                        child.set(Orphans.start(
                                new ProcessBuilder("sh", "-c", "echo up; read x; exit 3").redirectErrorStream(true)));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                })
                .join();
        var p = child.get();
        assertThat(firstLine(p)).isEqualTo("up");
        assertThat(p.info().command()).hasValueSatisfying(c -> assertThat(c).endsWith("sh"));
        var forker = thread("mirari-child-sh");
        assertThat(forker).as("the forking thread while the child runs").isNotNull();
        assertThat(forker.isVirtual()).isFalse();

        p.getOutputStream().close(); // read x ends: the child exits 3
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("the command's own exit code").isEqualTo(3);
        assertThat(forker.join(Duration.ofSeconds(10)))
                .as("the forking thread ends with the child")
                .isTrue();
    }

    @Test
    void aProgramThatCannotRunFailsAsProcessBuilderDoes() {
        for (var program : List.of("/nonexistent/jlink", "mirari-no-such-program")) {
            assertThatThrownBy(() -> Orphans.start(new ProcessBuilder(program, "--version")))
                    .isInstanceOf(IOException.class)
                    .hasMessageStartingWith("Cannot run program \"" + program + "\"");
        }
    }

    @Test
    void startLeavesTheBuilderWithItsOwnCommand() throws Exception {
        var pb = new ProcessBuilder("true");
        Orphans.start(pb).waitFor();
        assertThat(pb.command()).containsExactly("true");
    }

    private static String firstLine(Process p) throws IOException {
        return new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
    }

    private static Thread thread(String name) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals(name))
                .findFirst()
                .orElse(null);
    }
}
