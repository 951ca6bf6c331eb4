package org.mirari.tool.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuickStampTest {
    @TempDir
    Path dir;

    CliContext context(Map<String, String> env) {
        var nul = new PrintStream(PrintStream.nullOutputStream());
        return new CliContext(dir, env, Path.of("/opt/mirari"), nul, nul);
    }

    QuickStamp stamp(Optional<String> tool, List<String> command, Map<String, String> watched) {
        return new QuickStamp(
                tool,
                8080,
                "*",
                "hello",
                dir,
                Map.of("K", "V w"),
                List.of("mirari: build: up to date", "mirari: run: hello (--socket)"),
                command,
                watched);
    }

    @Test
    void theKeyIsTheLaunchersHashOfTheCommandLine() throws Exception {
        var env = Map.of("JAVA_HOME", "/jdk 25", "HOME", dir.toString());
        String[] args = {"run", "--set", "http-port=9090", "a b/", ""};
        // What bin/mirari runs, in the same directory with the same settings.
        var sh = new ArrayList<>(List.of(
                "sh",
                "-c",
                "{ printf '%s\\0' \"$@\"; pwd -P; printf '%s\\0' /opt/mirari \"$JAVA_HOME\" \"${MIRARI_JDK_SEARCH_PATH:-}\"; }"
                        + " | sha256sum",
                "sh"));
        sh.addAll(List.of(args));
        var pb = new ProcessBuilder(sh).directory(dir.toFile());
        pb.environment().put("JAVA_HOME", "/jdk 25");
        pb.environment().remove("MIRARI_JDK_SEARCH_PATH");
        var p = pb.start();
        var out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).isZero();
        var context = new CliContext(dir.toRealPath(), env, Path.of("/opt/mirari"), null, null);
        assertThat(out.split(" ")[0]).isEqualTo(QuickStamp.key(args, context));
        assertThat(QuickStamp.file(args, context))
                .contains(dir.resolve(".cache/mirari/quick").resolve(QuickStamp.key(args, context)));
        assertThat(QuickStamp.key(new String[] {"run", "--set", "http-port=1"}, context))
                .isNotEqualTo(QuickStamp.key(new String[] {"run", "--set", "http-port=2"}, context));
    }

    @Test
    void theStampLivesInTheUsersCache() {
        String[] args = {"run"};
        assertThat(QuickStamp.file(args, context(Map.of("XDG_CACHE_HOME", "/c", "HOME", "/h"))))
                .hasValueSatisfying(p -> assertThat(p.getParent()).isEqualTo(Path.of("/c/mirari/quick")));
        assertThat(QuickStamp.file(args, context(Map.of("XDG_CACHE_HOME", "", "HOME", "/h"))))
                .hasValueSatisfying(p -> assertThat(p.getParent()).isEqualTo(Path.of("/h/.cache/mirari/quick")));
        assertThat(QuickStamp.file(args, context(Map.of()))).isEmpty();
    }

    @Test
    void theTextRoundTripsAndStatesTellChanges() throws Exception {
        var f = Files.writeString(dir.resolve("Hello.java"), "class Hello {}");
        var watched = new LinkedHashMap<String, String>();
        watched.put(f.toString(), QuickStamp.state(f).orElseThrow());
        watched.put(
                dir.resolve("gone").toString(),
                QuickStamp.state(dir.resolve("gone")).orElseThrow());
        var command = List.of("/jdk/bin/java", QuickStamp.CONSOLE + "normal", "-jar", "a b.jar");
        var s = stamp(Optional.empty(), command, watched);
        var text = s.text().orElseThrow();
        assertThat(text)
                .startsWith("mirari-quick-run 2\nport 8080\naddress *\nname hello\ndir " + dir + "\nenv K=V w\n")
                .contains("exec -Dmirari.run.console=normal\nexec -jar\nexec a b.jar\n")
                .contains("\nx " + dir.resolve("gone") + "\n")
                .matches("(?s).*\nf 14 \\d+\\.\\d{9} " + f + "\n.*");
        assertThat(QuickStamp.parse(text)).isEqualTo(s);
        assertThat(s.toolCommand()).containsExactly("/jdk/bin/java", "-jar", "a b.jar");
        assertThat(s.changed()).isEmpty();
        Files.writeString(f, "class Hello { }");
        assertThat(s.changed()).contains(f.toString());

        var toolOnly = stamp(Optional.of("a privileged port"), List.of("java"), watched);
        assertThat(toolOnly.text().orElseThrow()).contains("\ntool a privileged port\n");
        assertThat(QuickStamp.parse(toolOnly.text().orElseThrow())).isEqualTo(toolOnly);
    }

    @Test
    void aValueThatWouldNotStayOnItsLineGivesNoStamp() {
        var watched = Map.of(dir.resolve("a\nb").toString(), "x");
        assertThat(stamp(Optional.empty(), List.of("java"), watched).text()).isEmpty();
        assertThat(stamp(Optional.empty(), List.of("java", "-Dx=a\nexec rm"), Map.of())
                        .text())
                .isEmpty();
    }

    @Test
    void anotherFormatIsRefused() {
        assertThatThrownBy(() -> QuickStamp.parse("mirari-quick-run 1\na run\n"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> QuickStamp.parse("mirari-quick-run 2\nport 1\n"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
