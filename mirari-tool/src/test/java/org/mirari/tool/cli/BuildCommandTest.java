package org.mirari.tool.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mirari build} in-process: configure when needed, compile, package, then nothing to do. */
class BuildCommandTest {
    @TempDir
    Path dir;

    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    int mirari(String... args) {
        var home = Path.of(System.getProperty("mirari.home", ".."))
                .toAbsolutePath()
                .normalize();
        var context = new CliContext(
                dir,
                Map.of("HOME", System.getProperty("user.home")),
                home,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return MirariCli.run(args, context);
    }

    String err() {
        var s = err.toString(StandardCharsets.UTF_8);
        err.reset();
        return s;
    }

    void app(String handler) throws Exception {
        Files.writeString(dir.resolve("hello.conf"), "# test app\nhttp-port: 8080\nmain-http: Hello.main\n");
        Files.writeString(dir.resolve("Hello.java"), handler);
    }

    @Test
    void buildsThenFindsNothingToDo() throws Exception {
        app("""
                import org.mirari.runtime.http.*;
                final class Hello { static Response main(Request r) { return Response.ok("hi"); } }
                """);
        assertThat(mirari("build")).as(err.toString()).isZero();
        assertThat(err())
                .contains("mirari: configuring", "mirari: compile: 2 sources", "wrote .mirari/socket/hello.jar");
        assertThat(dir.resolve("mir-hello")).isExecutable();
        assertThat(mirari("build", "--socket")).isZero();
        assertThat(err()).isEqualTo("mirari: build: up to date\n");
        // A boot-time key is no reason to rebuild.
        assertThat(mirari("build", "--set", "http-port=9090")).isZero();
        assertThat(err()).isEqualTo("mirari: build: up to date\n");
        Files.writeString(
                dir.resolve("Hello.java"),
                Files.readString(dir.resolve("Hello.java")).replace("\"hi\"", "\"hey\""));
        assertThat(mirari("build")).isZero();
        assertThat(err()).contains("mirari: compile: 2 sources").doesNotContain("configuring");
    }

    @Test
    void aCompileErrorIsExit4WithFileLineMessage() throws Exception {
        app("""
                import org.mirari.runtime.http.*;
                final class Hello {
                    static Response main(Request r) { return Response.ok(undefined); }
                }
                """);
        assertThat(mirari("build")).isEqualTo(4);
        assertThat(err())
                .contains("mirari: Hello.java:3: cannot find symbol (symbol: variable undefined)\n"
                        + "compiling failed: 1 error; fix the sources above");
    }

    @Test
    void anErrorInGeneratedCodeNamesTheConfLine() throws Exception {
        app("""
                final class Hello {
                    static String main(String wrong) { return wrong; }
                }
                """);
        assertThat(mirari("build")).isEqualTo(4);
        assertThat(err()).containsPattern("mirari: Main\\.java:\\d+: .*\\(generated from hello\\.conf:3\\)");
    }
}
