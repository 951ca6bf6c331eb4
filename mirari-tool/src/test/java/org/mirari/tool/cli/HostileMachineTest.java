package org.mirari.tool.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mirari configure} in-process on a machine that is less friendly than a laptop: a home
 * that is not a directory, a Maven mirror that is down, {@code fs-*} trees holding what a store
 * must not. Each failure is asserted whole (message and exit code), and what configure wrote
 * earlier is checked to be intact. (The permission cases need another user: {@code HostileMachineIT}.)
 */
class HostileMachineTest {
    @TempDir
    Path tmp;

    ShopApp shop;
    Path app;
    Path home;

    @BeforeEach
    void setUp() throws IOException {
        shop = new ShopApp(tmp);
        app = shop.app;
        home = shop.home;
    }

    int mirari(Map<String, String> env, String... args) {
        return shop.mirari(env, args);
    }

    int mirari(String... args) {
        return shop.mirari(args);
    }

    String err() {
        return shop.err();
    }

    void conf(String text) throws IOException {
        shop.conf(text);
    }

    @Test
    void aHomeThatIsNotADirectoryNamesTheLocalRepositoryAndWhereElse() throws IOException {
        var notDir = Files.writeString(tmp.resolve("plain-file"), "x");
        conf("main-http: Shop.main\n");
        assertThat(mirari(Map.of("HOME", notDir.toString()), "configure", "-q")).isEqualTo(6);
        assertThat(err())
                .isEqualTo("mirari: cannot use the local Maven repository " + notDir + "/.m2/repository: " + notDir
                        + " is not a directory; point Mirari at a writable one with"
                        + " MIRARI_JAVA_OPTS=-Dmaven.repo.local=DIR, <localRepository> in ~/.m2/settings.xml, or a"
                        + " writable HOME\n");
        assertThat(app.resolve("Main.java")).doesNotExist();
    }

    @Test
    void aMirrorThatIsDownNamesThePackageTheMirrorAndOffline() throws IOException {
        int closed;
        try (var s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        shop.mirror("down", "http://127.0.0.1:" + closed + "/maven2/");
        conf("main-http: Shop.main\npackages: test.mirari:absent:1.0\n");
        assertThat(mirari("configure", "-q")).as(err()).isEqualTo(3);
        assertThat(err())
                .isEqualTo("mirari: shop.conf:2:11: packages test.mirari:absent:1.0 cannot be resolved: the repository"
                        + " down (http://127.0.0.1:" + closed + "/maven2/, the mirror of central) cannot be reached"
                        + " (connection refused); check the network and the <mirror> in ~/.m2/settings.xml, or"
                        + " configure --offline to use only the local repository " + tmp.resolve("repo") + "\n");
    }

    @Test
    void offlineNamesWhatTheLocalRepositoryLacks() throws IOException {
        conf("main-http: Shop.main\npackages: test.mirari:absent:1.0\n");
        assertThat(mirari("configure", "-q", "--offline")).as(err()).isEqualTo(3);
        assertThat(err())
                .isEqualTo("mirari: shop.conf:2:11: packages test.mirari:absent:1.0 cannot be resolved:"
                        + " test.mirari:absent:jar:1.0 is not in the local repository " + tmp.resolve("repo")
                        + ", and --offline downloads nothing (it would come from central,"
                        + " https://repo.maven.apache.org/maven2/); configure once without --offline\n");
    }

    @Test
    void aTreeWithALinkOutAFifoAndALoopIsRefusedLineByLineAndTheEarlierPackKept() throws Exception {
        conf("main-http: Shop.main\nfs-static: files\n");
        assertThat(mirari("configure", "-q")).as(err()).isZero();
        var pack = app.resolve(".mirari/kv/static.kv");
        var before = Files.readAllBytes(pack);
        var main = Files.readString(app.resolve("Main.java"));

        var secret = Files.writeString(tmp.resolve("secret.txt"), "password\n");
        Files.createSymbolicLink(app.resolve("files/leak"), secret);
        Files.createSymbolicLink(app.resolve("files/loop"), Path.of("."));
        assertThat(new ProcessBuilder("mkfifo", app.resolve("files/pipe").toString())
                        .start()
                        .waitFor())
                .isZero();
        Files.writeString(app.resolve("files/new.html"), "new\n");
        conf("main-http: Shop.main\nfs-static: files\nhttp-port: 9000\n");
        assertThat(mirari("configure", "-q")).isEqualTo(4);
        assertThat(err())
                .isEqualTo("shop.conf:2:12: fs-static: files/leak is a symbolic link to " + secret.toRealPath()
                        + " (-> "
                        + secret + "), outside files; a store publishes only its directory's files: copy the file in,"
                        + " remove the link, or allow links out deliberately with links-outside\n"
                        + "shop.conf:2:12: fs-static: files/loop is a symbolic link loop (-> ., a directory that"
                        + " contains it); remove it\n"
                        + "shop.conf:2:12: fs-static: files/pipe is a FIFO (named pipe), not a regular file; a store"
                        + " holds files only: remove it or move it out\n");
        assertThat(Files.readAllBytes(pack)).as("the earlier pack").isEqualTo(before);
        assertThat(Files.readString(app.resolve("Main.java")))
                .as("the earlier Main.java")
                .isEqualTo(main);
    }

    @Test
    void aBuildOutputThatCannotBeWrittenIsNamedWithItsDirectory() throws Exception {
        Files.writeString(app.resolve("Shop.java"), """
                import org.mirari.runtime.http.*;
                final class Shop { static Response main(Request r) { return Response.ok("hi"); } }
                """);
        conf("main-http: Shop.main\n");
        // What stands where the jar is written first cannot be replaced by a file.
        Files.createDirectories(app.resolve(".mirari/socket/shop.jar.tmp"));
        assertThat(mirari("build", "-q")).as(err()).isEqualTo(4);
        assertThat(err())
                .isEqualTo("mirari: cannot write .mirari/socket/shop.jar.tmp in " + app.resolve(".mirari/socket")
                        + " (is a directory); check free space and permissions; the earlier build is unchanged\n");
        assertThat(app.resolve(".mirari/socket/shop.jar")).doesNotExist();
    }

    @Test
    void linksOutsideLetsALinkOutDeliberately() throws Exception {
        var secret = Files.writeString(tmp.resolve("shared.txt"), "shared\n");
        Files.createSymbolicLink(app.resolve("files/shared.txt"), secret);
        conf("main-http: Shop.main\nfs-static: files\nlinks-outside: static\n");
        assertThat(mirari("configure")).as(err()).isZero();
        assertThat(err()).contains("packed fs-static (2 files)");
    }

    @Test
    void linksOutsideMustNameAStore() throws Exception {
        conf("main-http: Shop.main\nfs-static: files\nlinks-outside: statik\n");
        assertThat(mirari("configure", "-q")).isEqualTo(2);
        assertThat(err())
                .isEqualTo("shop.conf:3:16: links-outside names \"statik\", which no fs-* key defines; name a store"
                        + " such as static\n");
    }
}
