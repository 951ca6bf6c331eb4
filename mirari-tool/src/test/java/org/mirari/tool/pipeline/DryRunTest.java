package org.mirari.tool.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mirari.tool.cli.CliContext;
import org.mirari.tool.cli.MirariCli;
import org.mirari.tool.plan.ToolVersion;

/**
 * {@code run --dry-run} of examples/hello on each target, against a golden trace
 * ({@code <target>.expected} beside this class): every file the run would write, with its purpose,
 * and every command it would run. A dry run writes nothing, which the test checks too.
 */
class DryRunTest {
    static final Path HOME =
            Path.of(System.getProperty("mirari.home", "..")).toAbsolutePath().normalize();

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"socket", "unix", "qemu", "xen", "js", "ec2", "oci"})
    void theRunsTraceMatchesTheGoldenFile(String target) throws IOException {
        var app = Files.createDirectories(tmp.resolve("hello"));
        for (var f : new String[] {"hello.conf", "Hello.java"})
            Files.copy(HOME.resolve("examples/hello").resolve(f), app.resolve(f));
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        // No qemu, xl or ip on this PATH: the trace is the same on every machine.
        var context = new CliContext(
                tmp,
                Map.of("PATH", tmp.resolve("no-bin").toString()),
                HOME,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        int code = MirariCli.run(new String[] {"run", "--" + target, "--dry-run", "hello"}, context);

        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        String trace = out.toString(StandardCharsets.UTF_8)
                .replace(app.toString(), "@APPDIR@")
                .replace(tmp.resolve("no-bin").toString(), "@NO_BIN@")
                .replace(Path.of(System.getProperty("java.home")).toString(), "@JAVA_HOME@")
                .replace(ToolVersion.current(), "@VERSION@");
        String golden;
        try (var in = getClass().getResourceAsStream(target + ".expected")) {
            golden = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(trace).isEqualTo(golden);
        try (Stream<Path> files = Files.list(app)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("hello.conf", "Hello.java");
        }
    }
}
