package org.mirari.tool.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --json} streams of whole commands, in-process, against golden files
 * ({@code src/test/resources/org/mirari/tool/cli/json/*.jsonl}): the schema the README documents.
 * Times and sizes vary with the machine and the JDK, so {@code "ms"} and {@code "bytes"} read 0
 * here; everything else must match byte for byte. A change that fails here changes the schema:
 * update the README's "JSON output" with it (run with {@code -Dmirari.golden.write=true} to
 * rewrite the files, then read the diff).
 */
class JsonStreamTest {
    @TempDir
    Path dir;

    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    static Path home() {
        return Path.of(System.getProperty("mirari.home", "..")).toAbsolutePath().normalize();
    }

    int mirari(String... args) {
        var context = new CliContext(
                dir,
                // A home of its own: Mirari's runtime is installed into its empty local repository each time.
                Map.of("HOME", dir.resolve("home").toString()),
                home(),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return MirariCli.run(args, context);
    }

    /** The stream so far with times and sizes zeroed and this machine's directories named, and forgotten. */
    String stream() {
        var s = out.toString(StandardCharsets.UTF_8)
                .replace(home().toString(), "$MIRARI_HOME")
                .replace(dir.resolve("home").toString(), "$HOME")
                .replaceAll("\"ms\":\\d+", "\"ms\":0")
                .replaceAll("\"bytes\":\\d+", "\"bytes\":0");
        out.reset();
        return s;
    }

    void matchesGolden(String name, String stream) throws IOException {
        var golden = Path.of("src/test/resources/org/mirari/tool/cli/json", name + ".jsonl");
        if (Boolean.getBoolean("mirari.golden.write")) Files.writeString(golden, stream);
        try (var in = JsonStreamTest.class.getResourceAsStream("json/" + name + ".jsonl")) {
            assertThat(in).as("golden file " + golden).isNotNull();
            assertThat(stream).isEqualTo(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        // Every line is one object that starts with its event type, and the last one is the exit.
        var lines = stream.lines().toList();
        assertThat(lines).allMatch(l -> l.startsWith("{\"event\":\"") && l.endsWith("}"));
        assertThat(lines.getLast()).startsWith("{\"event\":\"exit\",\"code\":");
    }

    void app(String conf) throws IOException {
        Files.writeString(dir.resolve("hello.conf"), conf);
        Files.writeString(dir.resolve("Hello.java"), """
                import org.mirari.runtime.http.*;
                final class Hello { static Response main(Request r) { return Response.ok("hi"); } }
                """);
    }

    @Test
    void buildThenUpToDate() throws IOException {
        app("# test app\nhttp-port: 8080\nmain-http: Hello.main\nfrobnicate: 1\n");
        assertThat(mirari("build", "--json")).as(err.toString()).isZero();
        matchesGolden("build", stream());
        assertThat(mirari("--json", "build")).isZero();
        matchesGolden("build-up-to-date", stream());
        assertThat(err.toString(StandardCharsets.UTF_8))
                .as("nothing but JSON, and only on stdout")
                .isEmpty();
    }

    @Test
    void configErrorsCarryTheirPositionsAndTheExitCode() throws IOException {
        app("http-port: 8o\nmain-http: Hello.main\nhttp-adress: 1.2.3.4\nmain-noip: X.y\n");
        assertThat(mirari("configure", "--json")).isEqualTo(2);
        matchesGolden("config-errors", stream());
    }

    @Test
    void compileErrorsAndBuildExitCode() throws IOException {
        Files.writeString(dir.resolve("hello.conf"), "main-http: Hello.main\n");
        Files.writeString(dir.resolve("Hello.java"), """
                import org.mirari.runtime.http.*;
                final class Hello {
                    static Response main(Request r) { return Response.ok(undefined); }
                }
                """);
        assertThat(mirari("build", "--json")).isEqualTo(4);
        matchesGolden("compile-error", stream());
    }

    @Test
    void usageErrorsAndDryRuns() throws IOException {
        app("main-http: Hello.main\n");
        assertThat(mirari("--json", "build", "--frobnicate")).isEqualTo(2);
        matchesGolden("usage-error", stream());
        assertThat(mirari("configure", "--dry-run", "--json")).isZero();
        matchesGolden("configure-dry-run", stream());
    }
}
