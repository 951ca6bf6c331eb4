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
        List<Path> pages;
        try (Stream<Path> files = Files.list(OUT.resolve("man1"))) {
            pages = files.sorted().toList();
        }
        // One man for all the pages (a process each cost seconds at load): it renders them in turn.
        var command = new ArrayList<>(List.of("man", "--warnings", "-l"));
        pages.forEach(p -> command.add(p.toString()));
        var p = new ProcessBuilder(command);
        p.environment().put("MANWIDTH", "80");
        p.environment().remove("MANPAGER");
        p.environment().remove("PAGER");
        var proc = p.start();
        proc.getOutputStream().close();
        var errText = new StringBuilder();
        var err = Thread.ofVirtual().start(() -> {
            try {
                errText.append(new String(proc.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (java.io.IOException e) {
                errText.append(e);
            }
        });
        var text = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(proc.waitFor(60, TimeUnit.SECONDS)).isTrue();
        err.join();
        assertThat(proc.exitValue()).as(errText.toString()).isZero();
        assertThat(errText.toString()).as("man's warnings").isEmpty();
        for (var page : pages) {
            var name = page.getFileName().toString().replaceFirst("\\.1$", "");
            assertThat(text).as(name).contains("NAME\n       " + name + " - ");
        }
        assertThat(text).contains("SYNOPSIS", "OPTIONS", "--json", "--no-color");
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
