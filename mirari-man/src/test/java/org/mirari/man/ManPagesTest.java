package org.mirari.man;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.mirari.tool.plan.ToolVersion;
import picocli.CommandLine;

/**
 * The pages this build made ({@code target/man}, by the exec step before the tests): one for every
 * command of the model, each rendered by the real {@code man}, one held against a golden file.
 * Update the golden after an intended change with {@code -Dmirari.golden.update=true}.
 */
class ManPagesTest {
    static final Path OUT = Path.of(System.getProperty("mirari.man", "target/man"));
    static final Path GOLDEN = Path.of("src/test/resources/org/mirari/man/mirari-init.1");

    /** {@code mirari-deploy-ec2} and the rest: every command the model has, hidden ones aside. */
    static List<String> commands(CommandLine cl) {
        var names = new ArrayList<String>();
        var spec = cl.getCommandSpec();
        if (spec.usageMessage().hidden()) return names;
        names.add(spec.qualifiedName("-"));
        for (var sub : new java.util.LinkedHashSet<>(spec.subcommands().values())) names.addAll(commands(sub));
        return names;
    }

    @Test
    void everyCommandHasAPageAndNothingElseDoes() throws Exception {
        var expected = new TreeSet<String>();
        for (var c : commands(ManPages.model())) expected.add(c + ".1");
        try (Stream<Path> pages = Files.list(OUT.resolve("man1"))) {
            assertThat(pages.map(p -> p.getFileName().toString())).containsExactlyInAnyOrderElementsOf(expected);
        }
        assertThat(expected).contains("mirari.1", "mirari-run.1", "mirari-deploy-ec2.1", "mirari-man.1");
    }

    @Test
    void manRendersEachPageWithoutAWarning() throws Exception {
        try (Stream<Path> pages = Files.list(OUT.resolve("man1"))) {
            for (var page : (Iterable<Path>) pages::iterator) {
                var name = page.getFileName().toString().replaceFirst("\\.1$", "");
                var p = new ProcessBuilder("man", "--warnings", "-l", page.toString());
                p.environment().put("MANWIDTH", "80");
                p.environment().remove("MANPAGER");
                p.environment().remove("PAGER");
                var proc = p.start();
                proc.getOutputStream().close();
                var text = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                var err = new String(proc.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(proc.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(proc.exitValue()).as(name + ": " + err).isZero();
                assertThat(err).as(name + "'s warnings").isEmpty();
                assertThat(text)
                        .as(name)
                        .contains("NAME\n       " + name + " - ", "SYNOPSIS", "OPTIONS", "--json", "--no-color");
            }
        }
    }

    @Test
    void initsPageIsTheGoldenOne() throws Exception {
        var version = ToolVersion.current();
        var page = Files.readString(OUT.resolve("man1/mirari-init.1"))
                .replace(version, "VERSION")
                .replace(version.replace("-", "\\-"), "VERSION");
        if (Boolean.getBoolean("mirari.golden.update")) Files.writeString(GOLDEN, page);
        assertThat(page).isEqualTo(Files.readString(GOLDEN));
    }

    @Test
    void aSecondRunWithTheSameModelConvertsNothing() throws Exception {
        // The build's exec step has just run: nothing changed since, so no JRuby starts.
        assertThat(ManPages.write(OUT)).isEmpty();
    }
}
