package org.mirari.tool.scaffold;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mirari.tool.config.ConfigParser;
import org.mirari.tool.config.Key;
import org.mirari.tool.error.ConfigException;
import org.mirari.tool.event.EventSink;

class ScaffoldTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Scaffold.Kind.class)
    void theConfParsesCleanlyNamesItsClassAndMentionsEveryKey(Scaffold.Kind kind) throws Exception {
        var app = dir.resolve("My App");
        var s = Scaffold.of(kind, null, app);
        assertThat(s.name()).isEqualTo("my-app");
        s.write(dir, EventSink.none());
        var conf = app.resolve("my-app.conf");
        var config = new ConfigParser(conf, "my-app.conf").parse(Files.readAllBytes(conf), List.of());
        assertThat(config.warnings()).isEmpty();
        assertThat(config.main().kind().name()).isEqualTo(kind.name());
        assertThat(app.resolve(config.main().className() + ".java")).exists();
        var text = Files.readString(conf, StandardCharsets.UTF_8);
        for (var k : Key.values()) assertThat(text).as(k.spelling()).containsPattern("(?m)^(# )?" + k.spelling());
        assertThat(Scaffold.unmentioned(text)).isEmpty();
        assertThat(Files.readString(app.resolve(".gitignore")))
                .contains(".mirari/", "Main.java", "mir-my-app\n")
                .doesNotContainPattern("(?m)^[^#].*\\.lock");
    }

    @ParameterizedTest
    @EnumSource(Scaffold.Kind.class)
    void theClassCompilesAgainstTheRuntime(Scaffold.Kind kind) throws Exception {
        var s = Scaffold.of(kind, "app", dir);
        s.write(dir, EventSink.none());
        var source = s.files().get(1).path();
        var javac = javax.tools.ToolProvider.getSystemJavaCompiler();
        var errors = new java.io.ByteArrayOutputStream();
        int code = javac.run(
                null,
                null,
                errors,
                "-d",
                dir.resolve("classes").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                source.toString());
        assertThat(code).as(errors.toString(StandardCharsets.UTF_8)).isZero();
    }

    @Test
    void refusesToOverwriteAnythingAndWritesNothingThen() throws Exception {
        Files.writeString(dir.resolve(".gitignore"), "mine\n");
        var s = Scaffold.of(Scaffold.Kind.HTTP, "shop", dir);
        assertThatThrownBy(() -> s.write(dir, EventSink.none()))
                .isInstanceOf(ConfigException.class)
                .hasMessage(".gitignore exists; mirari init never overwrites a file: choose an empty directory"
                        + " (mirari init DIR) or move it away");
        assertThat(dir.resolve("shop.conf")).doesNotExist();
        assertThat(dir.resolve("Dispatch.java")).doesNotExist();
        assertThat(dir.resolve(".gitignore")).hasContent("mine");

        Files.delete(dir.resolve(".gitignore"));
        Files.writeString(dir.resolve("other.conf"), "main-noip: X.y\n");
        assertThatThrownBy(() -> s.write(dir, EventSink.none()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("other.conf exists: ");
        assertThat(dir.resolve("shop.conf")).doesNotExist();
    }

    @Test
    void aNameTheConfWouldRefuseIsRefusedFirst() {
        assertThatThrownBy(() -> Scaffold.of(Scaffold.Kind.NOIP, "My App", dir))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("--name \"My App\" is not an app name;");
    }
}
