package org.mirari.tool.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real launcher as user {@code nobody}, on a machine that refuses it things: no home, a
 * read-only app or output directory, an {@code fs-*} tree with files it may not read. Each case
 * asserts the whole message and the exit code, and that what was generated before is intact.
 */
class HostileMachineIT {
    static final Duration TIME = Duration.ofMinutes(3);

    @TempDir
    Path dir;

    Path app;
    Path home;

    @BeforeEach
    void setUp() throws Exception {
        String why = Unprivileged.unavailableReason();
        if (why != null) System.out.println("HostileMachineIT skipped: " + why);
        Assumptions.assumeTrue(why == null, why);
        app = MirariRun.copyExample("hello", dir);
        home = Files.createDirectories(dir.resolve("home"));
        Unprivileged.openUp(dir);
    }

    /** {@code bin/mirari args} as nobody with {@code env} (HOME first), its output and exit code. */
    private static String[] asNobody(Map<String, String> env, String... args) {
        var cmd = new ArrayList<>(List.of(
                "setpriv",
                "--reuid=" + Unprivileged.NOBODY,
                "--regid=" + Unprivileged.NOBODY,
                "--clear-groups",
                "env"));
        env.forEach((k, v) -> cmd.add(k + "=" + v));
        cmd.add(Unprivileged.launcher().toString());
        cmd.addAll(List.of(args));
        return cmd.toArray(String[]::new);
    }

    private record Outcome(int code, String output) {}

    private Outcome mirari(Map<String, String> env, String... args) throws Exception {
        try (var run = MirariRun.start(dir, Map.of(), List.of(asNobody(env, args)))) {
            int code = run.exitCode(TIME);
            return new Outcome(code, run.output());
        }
    }

    @Test
    void noHomeNamesTheLocalRepositoryAndHowToChooseAnother() throws Exception {
        var r = mirari(Map.of("HOME", "/nonexistent"), "configure", "-q", app.toString());
        assertThat(r.code()).as(r.output()).isEqualTo(6);
        assertThat(r.output())
                .isEqualTo("mirari: cannot use the local Maven repository /nonexistent/.m2/repository: /nonexistent"
                        + " does not exist and cannot be created in / (permission denied); point Mirari at a writable"
                        + " one with MIRARI_JAVA_OPTS=-Dmaven.repo.local=DIR, <localRepository> in ~/.m2/settings.xml,"
                        + " or a writable HOME");
        assertThat(app.resolve("Main.java")).doesNotExist();

        // The fix the message gives works.
        var repo = dir.resolve("repo");
        var ok = mirari(
                Map.of("HOME", "/nonexistent", "MIRARI_JAVA_OPTS", "-Dmaven.repo.local=" + repo),
                "configure",
                "-q",
                app.toString());
        assertThat(ok.code()).as(ok.output()).isZero();
        assertThat(repo.resolve("org/mirari/mirari-runtime")).isDirectory();
        assertThat(app.resolve("Main.java")).exists();
    }

    @Test
    void aReadOnlyAppOrOutputDirectoryIsNamedAndNothingIsLost() throws Exception {
        var first = mirari(Map.of("HOME", home.toString()), "configure", "-q", app.toString());
        assertThat(first.code()).as(first.output()).isZero();
        var main = Files.readString(app.resolve("Main.java"));
        Files.writeString(app.resolve("hello.conf"), Files.readString(app.resolve("hello.conf")) + "name: hi\n");

        Files.setPosixFilePermissions(app, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            var r = mirari(Map.of("HOME", home.toString()), "configure", "-q", app.toString());
            assertThat(r.code()).as(r.output()).isEqualTo(6);
            assertThat(r.output())
                    .isEqualTo("mirari: cannot use the app's directory " + app + ": permission denied; configure writes"
                            + " Main.java, pom.xml and .mirari/ there: make it writable (chmod u+w), or copy the app to"
                            + " a directory you may write");
        } finally {
            Files.setPosixFilePermissions(app, PosixFilePermissions.fromString("rwxrwxrwx"));
        }
        assertThat(Files.readString(app.resolve("Main.java"))).isEqualTo(main);

        var mirariDir = app.resolve(".mirari");
        Files.setPosixFilePermissions(mirariDir, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            var r = mirari(Map.of("HOME", home.toString()), "configure", "-q", app.toString());
            assertThat(r.code()).as(r.output()).isEqualTo(6);
            assertThat(r.output())
                    .isEqualTo("mirari: cannot use Mirari's output directory " + mirariDir + ": permission denied; make"
                            + " it writable (chmod -R u+w), or remove it: mirari clean");
        } finally {
            Files.setPosixFilePermissions(mirariDir, PosixFilePermissions.fromString("rwxrwxrwx"));
        }
        assertThat(Files.readString(app.resolve("Main.java"))).isEqualTo(main);
    }

    @Test
    void aReadOnlyBuildDirectoryIsNamedAndTheEarlierBuildKept() throws Exception {
        var first = mirari(Map.of("HOME", home.toString()), "build", "-q", app.toString());
        assertThat(first.code()).as(first.output()).isZero();
        var socket = app.resolve(".mirari/socket");
        var jar = Files.readAllBytes(socket.resolve("hello.jar"));
        Files.writeString(
                app.resolve("Hello.java"),
                Files.readString(app.resolve("Hello.java")).replace("class Hello", "class Hello /* changed */"));
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            var r = mirari(Map.of("HOME", home.toString()), "build", "-q", app.toString());
            assertThat(r.code()).as(r.output()).isEqualTo(6);
            assertThat(r.output())
                    .matches("mirari: cannot write \\.mirari/socket/\\S+ in "
                            + java.util.regex.Pattern.quote(socket.toString())
                            + " \\(permission denied\\); make the directory writable \\(chmod u\\+w\\), or copy the"
                            + " app to a directory you may write; the earlier build is unchanged");
        } finally {
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rwxrwxrwx"));
        }
        assertThat(Files.readAllBytes(socket.resolve("hello.jar")))
                .as("the earlier jar")
                .isEqualTo(jar);
    }

    @Test
    void aMirrorThatIsDownNamesThePackageTheMirrorAndOffline() throws Exception {
        int closed = MirariRun.freePort();
        var repo = dir.resolve("repo");
        Files.createDirectories(home.resolve(".m2"));
        Files.writeString(home.resolve(".m2/settings.xml"), """
                <settings>
                  <localRepository>%s</localRepository>
                  <mirrors><mirror><id>down</id><url>http://127.0.0.1:%d/maven2/</url><mirrorOf>*</mirrorOf></mirror></mirrors>
                </settings>
                """.formatted(repo, closed));
        Files.writeString(
                app.resolve("hello.conf"),
                Files.readString(app.resolve("hello.conf")) + "packages: test.mirari:absent:1.0\n");
        Unprivileged.openUp(dir);
        var r = mirari(Map.of("HOME", home.toString()), "configure", "-q", app.toString());
        assertThat(r.code()).as(r.output()).isEqualTo(3);
        assertThat(r.output())
                .isEqualTo("mirari: hello.conf:7:11: packages test.mirari:absent:1.0 cannot be resolved: the repository"
                        + " down (http://127.0.0.1:" + closed + "/maven2/, the mirror of central) cannot be reached"
                        + " (connection refused); check the network and the <mirror> in ~/.m2/settings.xml, or"
                        + " configure --offline to use only the local repository " + repo);
        assertThat(app.resolve("Main.java")).doesNotExist();
    }

    @Test
    void filesNobodyMayReadInAnFsTreeAreNamedAndTheEarlierPackKept() throws Exception {
        var files = Files.createDirectories(app.resolve("files"));
        Files.writeString(files.resolve("index.html"), "<h1>hi</h1>\n");
        Files.writeString(
                app.resolve("hello.conf"), Files.readString(app.resolve("hello.conf")) + "fs-static: files\n");
        Unprivileged.openUp(dir);
        var first = mirari(Map.of("HOME", home.toString()), "configure", "-q", app.toString());
        assertThat(first.code()).as(first.output()).isZero();
        var pack = app.resolve(".mirari/kv/static.kv");
        var before = Files.readAllBytes(pack);

        var secret = Files.writeString(files.resolve("secret.txt"), "root only\n");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        var closed = Files.createDirectories(files.resolve("private"));
        Files.setPosixFilePermissions(closed, PosixFilePermissions.fromString("rwx------"));
        var r = mirari(Map.of("HOME", home.toString()), "configure", "-q", app.toString());
        assertThat(r.code()).as(r.output()).isEqualTo(4);
        assertThat(r.output())
                .isEqualTo("hello.conf:7:12: fs-static: files/private is a directory that cannot be read (permission"
                        + " denied); make it readable (chmod a+rx) or remove it\n"
                        + "hello.conf:7:12: fs-static: files/secret.txt is a file this user cannot read (permission"
                        + " denied); make it readable (chmod a+r) or remove it");
        assertThat(Files.readAllBytes(pack)).as("the earlier pack").isEqualTo(before);
    }
}
