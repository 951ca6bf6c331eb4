package org.mirari.tool.codegen;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mirari.runtime.AppSpec;
import org.mirari.tool.config.Config;
import org.mirari.tool.config.ConfigParser;
import org.mirari.tool.config.Coordinate;
import org.mirari.tool.plan.Jdk;
import org.mirari.tool.plan.Plan;
import org.mirari.tool.targets.Target;

/**
 * Golden files for the generated Main.java and pom.xml, one pair per entry kind, and a real
 * compile of the generated Main with a user class against the runtime. Regenerate the golden
 * files after an intended change with {@code -Dmirari.golden.update=true}.
 */
class CodegenTest {
    @TempDir
    Path app;

    enum Kind {
        HTTP(
                "main-http: Hello.main\nhttp-port: 9090\nhttp-address: 127.0.0.1\nfs-static: files\nfs-tmpl: files\npackages: org.slf4j:slf4j-simple:2.0.17\n",
                "Hello",
                """
                import org.mirari.runtime.http.Request;
                import org.mirari.runtime.http.Response;

                public final class Hello {
                    public static Response main(Request request) {
                        throw new UnsupportedOperationException();
                    }
                }
                """),
        IP(
                "main-ip: net.example.Ping.main\nip-address: 192.168.7.2\nip-netmask: 255.255.0.0\nip-gateway: 192.168.7.1\ndns: 192.168.7.53\n",
                "Ping",
                """
                package net.example;

                import org.mirari.runtime.net.Network;

                public final class Ping {
                    public static void main(Network network) {}
                }
                """),
        NOIP("main-noip: Noip.main\nip-use-dhcp: true\nname: quiet-app\n", "Noip", """
                public final class Noip {
                    public static void main() {}
                }
                """);

        final String conf;
        final String userClass;
        final String userSource;

        Kind(String conf, String userClass, String userSource) {
            this.conf = conf;
            this.userClass = userClass;
            this.userSource = userSource;
        }
    }

    Plan plan(Kind kind) throws IOException {
        Files.createDirectories(app.resolve("files"));
        Config c = new ConfigParser(app.resolve("app.conf"), "app.conf")
                .parse(kind.conf.getBytes(StandardCharsets.UTF_8), List.of());
        return new Plan(c, Target.SOCKET, new Jdk(Path.of("/jdk"), 25), Optional.empty());
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void mainJavaMatchesItsGoldenFile(Kind kind) throws IOException {
        golden(
                kind.name().toLowerCase() + "/Main.java.golden",
                MainJava.generate(plan(kind).config()));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void pomXmlMatchesItsGoldenFile(Kind kind) throws IOException {
        var pinned = kind == Kind.HTTP
                ? List.of(
                        new Coordinate("org.slf4j", "slf4j-api", "2.0.17"),
                        new Coordinate("org.slf4j", "slf4j-simple", "2.0.17"))
                : List.<Coordinate>of();
        golden(kind.name().toLowerCase() + "/pom.xml.golden", PomXml.generate(plan(kind), pinned));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void generatedMainCompilesAgainstTheRuntime(Kind kind) throws IOException, URISyntaxException {
        var main = app.resolve("Main.java");
        Files.writeString(main, MainJava.generate(plan(kind).config()));
        var user = app.resolve(kind.userClass + ".java");
        Files.writeString(user, kind.userSource);
        var out = Files.createDirectories(app.resolve("classes"));
        var runtime = Path.of(AppSpec.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
        var javac = ToolProvider.getSystemJavaCompiler();
        var diagnostics = new StringWriter();
        var ok = javac.getTask(
                        diagnostics,
                        null,
                        null,
                        List.of(
                                "--release",
                                "25",
                                "-Xlint:all",
                                "-Werror",
                                "-classpath",
                                runtime.toString(),
                                "-d",
                                out.toString()),
                        null,
                        javac.getStandardFileManager(null, null, StandardCharsets.UTF_8)
                                .getJavaFileObjects(main, user))
                .call();
        assertThat(ok).as(diagnostics.toString()).isTrue();
        assertThat(out.resolve("Main.class")).exists();
    }

    @Test
    void aWrongUserSignatureFailsToCompileAtTheLineNamingTheConf() throws IOException, URISyntaxException {
        var main = app.resolve("Main.java");
        var source = MainJava.generate(plan(Kind.NOIP).config());
        Files.writeString(main, source);
        var user = app.resolve("Noip.java");
        Files.writeString(user, "public final class Noip { public static void main(String x) {} }\n");
        var runtime = Path.of(AppSpec.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
        var javac = ToolProvider.getSystemJavaCompiler();
        var diagnostics = new ArrayList<javax.tools.Diagnostic<?>>();
        var ok = javac.getTask(
                        null,
                        null,
                        diagnostics::add,
                        List.of(
                                "--release",
                                "25",
                                "-classpath",
                                runtime.toString(),
                                "-d",
                                app.resolve("classes").toString()),
                        null,
                        javac.getStandardFileManager(null, null, StandardCharsets.UTF_8)
                                .getJavaFileObjects(main, user))
                .call();
        assertThat(ok).isFalse();
        var line = (int) diagnostics.getFirst().getLineNumber();
        assertThat(source.lines().toList().get(line - 2)).contains("// main-noip: Noip.main (app.conf:1:12)");
    }

    private static void golden(String name, String actual) throws IOException {
        var path = Path.of("src/test/resources/org/mirari/tool/codegen/golden", name);
        if (Boolean.getBoolean("mirari.golden.update")) {
            Files.createDirectories(path.getParent());
            Files.writeString(path, actual);
        }
        assertThat(actual).isEqualTo(Files.readString(path));
    }
}
