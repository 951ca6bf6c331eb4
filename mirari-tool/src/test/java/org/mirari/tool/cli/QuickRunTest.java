package org.mirari.tool.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuickRunTest {
    @TempDir
    Path dir;

    @Test
    void stampRoundTripsAndStatesTellChanges() throws Exception {
        var f = Files.writeString(dir.resolve("Hello.java"), "class Hello {}");
        var stamp = new QuickRun.Stamp(
                "key",
                List.of("java", "-jar", "a b.jar"),
                Map.of("K", "V"),
                dir,
                "*",
                8080,
                "hello",
                Map.of(
                        f.toString(),
                        QuickRun.state(f),
                        dir.resolve("gone").toString(),
                        QuickRun.state(dir.resolve("gone"))));
        var file = dir.resolve(".mirari/run.quick");
        QuickRun.write(file, stamp);
        assertThat(QuickRun.read(file)).isEqualTo(stamp);
        assertThat(QuickRun.state(dir.resolve("gone"))).isEqualTo("-");
        assertThat(QuickRun.state(dir)).startsWith("d:");
        var before = QuickRun.state(f);
        Files.writeString(f, "class Hello { }");
        assertThat(QuickRun.state(f)).isNotEqualTo(before);
    }

    @Test
    void theStampLivesWithTheAppAndTheKeyNamesTheCommandLine() throws Exception {
        Files.writeString(dir.resolve("hello.conf"), "main-noip: N.main\n");
        var context = new CliContext(
                dir,
                Map.of(),
                dir,
                new PrintStream(PrintStream.nullOutputStream()),
                new PrintStream(PrintStream.nullOutputStream()));
        assertThat(QuickRun.stampFile(null, context)).contains(dir.resolve(".mirari/run.quick"));
        assertThat(QuickRun.stampFile("hello.conf", context)).contains(dir.resolve(".mirari/run.quick"));
        assertThat(QuickRun.stampFile("missing", context)).isEmpty();
        assertThat(QuickRun.key(new String[] {"run", "--set", "http-port=1"}, context))
                .isNotEqualTo(QuickRun.key(new String[] {"run", "--set", "http-port=2"}, context));
    }
}
