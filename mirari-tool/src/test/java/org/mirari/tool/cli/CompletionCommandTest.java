package org.mirari.tool.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mirari completion}: the bash script sourced in a real bash, asked what it completes. */
class CompletionCommandTest {
    @TempDir
    Path dir;

    Path script;

    String generate(String shell) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        var context = new CliContext(
                dir,
                Map.of(),
                dir,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(MirariCli.run(new String[] {"completion", shell}, context))
                .as(err.toString())
                .isZero();
        return out.toString(StandardCharsets.UTF_8);
    }

    @BeforeEach
    void script() throws Exception {
        script = Files.writeString(dir.resolve("mirari.bash"), generate("bash"));
        Files.createDirectories(dir.resolve("examples/hello"));
        Files.writeString(dir.resolve("shop.conf"), "main-noip: A.b\n");
    }

    /** What bash offers for the words typed so far (the last one is being completed), in the test's directory. */
    List<String> complete(String... words) throws Exception {
        var array = new StringBuilder();
        for (var w : words) array.append(" '").append(w).append('\'');
        // compopt (file name quoting) works only inside a real completion: outside one it is a no-op here.
        var program =
                "source " + script + "\ncompopt() { :; }\nCOMP_WORDS=(" + array + ")\nCOMP_CWORD=" + (words.length - 1)
                        + "\nCOMP_LINE='" + String.join(" ", words) + "'\nCOMP_POINT=${#COMP_LINE}\n_complete_mirari\n"
                        + "printf '%s\\n' \"${COMPREPLY[@]}\"\n";
        var p = new ProcessBuilder("bash", "--norc", "--noprofile", "-c", program)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        p.getOutputStream().close();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        var lines = new ArrayList<String>();
        new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                .lines()
                .map(String::strip)
                .filter(l -> !l.isEmpty())
                .forEach(lines::add);
        assertThat(p.exitValue()).as(String.join("\n", lines)).isZero();
        return lines;
    }

    @Test
    void commandsOptionsTargetsKeysAndFiles() throws Exception {
        assertThat(complete("mirari", "r")).contains("run", "rm").doesNotContain("build");
        assertThat(complete("mirari", "")).contains("init", "doctor", "completion", "configure", "build", "run");
        assertThat(complete("mirari", "run", "--q")).containsExactlyInAnyOrder("--qemu", "--quiet");
        assertThat(complete("mirari", "build", "--")).contains("--socket", "--unix", "--xen", "--set", "--json");
        assertThat(complete("mirari", "run", "--set", "http-p")).containsExactly("http-port=");
        assertThat(complete("mirari", "configure", "--set", "")).contains("ip-address=", "fs-", "xl-", "main-http=");
        assertThat(complete("mirari", "run", "sh")).containsExactly("shop.conf");
        assertThat(complete("mirari", "build", "exa")).containsExactly("examples");
        assertThat(complete("mirari", "completion", "")).containsExactlyInAnyOrder("bash", "zsh", "fish");
        assertThat(complete("mirari", "doctor", "--j")).containsExactly("--json");
    }

    @Test
    void zshGetsTheSameScriptThroughBashcompinitAndFishItsOwn() {
        assertThat(generate("zsh")).isEqualTo(generate("bash")).contains("bashcompinit");
        assertThat(generate("fish"))
                .contains("complete -c mirari -n '__fish_use_subcommand' -a run -d ")
                .contains("complete -c mirari -n '__fish_seen_subcommand_from run' -l set -r -a 'name= main-http=")
                .contains("complete -c mirari -n '__fish_seen_subcommand_from build' -l socket -d ")
                .contains("complete -c mirari -n '__fish_seen_subcommand_from run' -F")
                .doesNotContain("-a supervise");
    }
}
