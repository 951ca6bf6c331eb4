package org.mirari.tool.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirari.tool.event.EventSink;

class AotTrainingTest {
    @Test
    void theHttpsPortIsReadFromTheReadyLineOnlyWhenItNamesOne() {
        assertThat(
                        AotTraining.httpsPort(
                                "mirari-ready: listening url=http://127.0.0.1:8080/ https=https://127.0.0.1:8443/ uptime_ms=530"))
                .contains(8443);
        assertThat(AotTraining.httpsPort("mirari-ready: listening url=http://127.0.0.1:8080/ uptime_ms=530"))
                .isEmpty();
    }

    @Test
    void theTrainingRunsInTheGuestsEnvironmentWithoutTheHostsLocale(@TempDir Path dir) throws IOException {
        assertThat(train(dir, AotTraining.Code.QEMU64)).isPresent();
        List<String> env = Files.readAllLines(dir.resolve("env.txt"));
        assertThat(env).contains("HOME=/", "TERM=linux");
        assertThat(env)
                .noneMatch(v -> v.startsWith("LANG=") || v.startsWith("LC_") || v.startsWith("JAVA_TOOL_OPTIONS="));
    }

    @Test
    void theGuestsAdaptersAreTrainedWithQemu64sFeaturesAndTheOciImageHasNone(@TempDir Path dir) throws IOException {
        assertThat(train(dir.resolve("vm"), AotTraining.Code.QEMU64)).isPresent();
        assertThat(Files.readAllLines(dir.resolve("vm/args.txt")))
                .contains("-XX:+AOTAdapterCaching", "-XX:UseAVX=0", "-XX:UseSSE=3", "-XX:-UsePopCountInstruction")
                .doesNotContain("-XX:-AOTAdapterCaching")
                // before the argument file, whose own options would win
                .containsSubsequence("-XX:UseAVX=0", "@app/jvm.args");
        assertThat(train(dir.resolve("oci"), AotTraining.Code.NONE)).isPresent();
        assertThat(Files.readAllLines(dir.resolve("oci/args.txt")))
                .contains("-XX:-AOTAdapterCaching")
                .doesNotContain("-XX:UseAVX=0");
    }

    /**
     * A training with a runtime whose {@code java} records its environment and arguments, says it
     * listens and, on SIGTERM, writes the cache file it was asked for.
     */
    private static Optional<Path> train(Path dir, AotTraining.Code code) throws IOException {
        Path jre = dir.resolve("jre");
        Files.createDirectories(jre.resolve("bin"));
        Path java = jre.resolve("bin/java");
        Files.writeString(java, """
                #!/bin/sh
                env > '%s'
                for a in "$@"; do echo "$a"; done > '%s'
                for a in "$@"; do case "$a" in -XX:AOTCacheOutput=*) out=${a#*=} ;; esac; done
                trap 'echo cache > "$out"; exit 0' TERM
                echo "mirari-ready: listening url=http://127.0.0.1:1/ uptime_ms=1"
                while :; do sleep 0.1; done
                """.formatted(dir.resolve("env.txt"), dir.resolve("args.txt")));
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path jar = Files.writeString(dir.resolve("app.jar"), "jar");
        return new AotTraining(dir.resolve("cache"), EventSink.none())
                .train(jre, Map.of("app/lib/app.jar", jar), "-Xmx64m\nMain\n", 0, code);
    }
}
