package org.mirari.tool.codegen;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@link StoreTree} lets into a store and how it names what it refuses; messages in full. */
class StoreTreeTest {
    @TempDir
    Path app;

    Path files;

    @BeforeEach
    void setUp() throws IOException {
        files = Files.createDirectories(app.resolve("files"));
        Files.writeString(files.resolve("index.html"), "<h1>hi</h1>\n");
        Files.createDirectories(files.resolve("css"));
        Files.writeString(files.resolve("css/site.css"), "h1{}\n");
    }

    private StoreTree.Listing list() {
        return StoreTree.list(files, app, false);
    }

    private static List<String> keys(StoreTree.Listing l) {
        return l.entries().stream().map(StoreTree.Entry::key).toList();
    }

    @Test
    void regularFilesAreKeyedByTheirPathSorted() {
        var l = list();
        assertThat(l.problems()).isEmpty();
        assertThat(keys(l)).containsExactly("css/site.css", "index.html");
    }

    @Test
    void linksInsideTheDirectoryAreFollowed() throws IOException {
        Files.createSymbolicLink(files.resolve("home.html"), Path.of("index.html"));
        Files.createSymbolicLink(files.resolve("style"), Path.of("css"));
        var l = list();
        assertThat(l.problems()).isEmpty();
        assertThat(keys(l)).containsExactly("css/site.css", "home.html", "index.html", "style/site.css");
    }

    @Test
    void theDirectoryItselfMayBeALink() throws IOException {
        var link = Files.createSymbolicLink(app.resolve("www"), Path.of("files"));
        var l = StoreTree.list(link, app, false);
        assertThat(l.problems()).isEmpty();
        assertThat(keys(l)).containsExactly("css/site.css", "index.html");
    }

    @Test
    void aLinkOutsideIsRefusedWithItsPathAndTarget() throws IOException {
        var secret = Files.writeString(app.resolve("secret.txt"), "password\n");
        Files.createSymbolicLink(files.resolve("leak"), Path.of("../secret.txt"));
        assertThat(list().problems())
                .containsExactly("files/leak is a symbolic link to " + secret.toRealPath()
                        + " (-> ../secret.txt), outside files; a store publishes only its directory's files: copy the"
                        + " file in, remove the link, or allow links out deliberately with links-outside");
    }

    @Test
    void linksOutsideFollowsThemDeliberately() throws IOException {
        Files.writeString(app.resolve("secret.txt"), "shared\n");
        Files.createSymbolicLink(files.resolve("shared.txt"), Path.of("../secret.txt"));
        var l = StoreTree.list(files, app, true);
        assertThat(l.problems()).isEmpty();
        assertThat(keys(l)).contains("shared.txt");
    }

    @Test
    void loopsAreNamedAsLoops() throws IOException {
        Files.createSymbolicLink(files.resolve("self"), Path.of("self"));
        Files.createSymbolicLink(files.resolve("css/up"), Path.of(".."));
        assertThat(list().problems())
                .containsExactly(
                        "files/css/up is a symbolic link loop (-> .., a directory that contains it); remove it",
                        "files/self is a symbolic link loop (-> self); remove it or point it at a file");
    }

    @Test
    void danglingLinksAreNamed() throws IOException {
        Files.createSymbolicLink(files.resolve("gone"), Path.of("nothing-here"));
        assertThat(list().problems())
                .containsExactly("files/gone is a dangling symbolic link (-> nothing-here: no such file); remove it or"
                        + " create its target");
    }

    @Test
    void fifosSocketsAndDevicesAreNamedByKind() throws Exception {
        var mkfifo = new ProcessBuilder("mkfifo", files.resolve("pipe").toString())
                .inheritIO()
                .start();
        assertThat(mkfifo.waitFor()).isZero();
        try (var s = ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            s.bind(UnixDomainSocketAddress.of(files.resolve("sock")));
        }
        Files.createSymbolicLink(files.resolve("null"), Path.of("/dev/null"));
        var l = StoreTree.list(files, app, true);
        assertThat(l.problems())
                .containsExactly(
                        "files/null is a character device, not a regular file; a store holds files only: remove it or"
                                + " move it out",
                        "files/pipe is a FIFO (named pipe), not a regular file; a store holds files only: remove it or"
                                + " move it out",
                        "files/sock is a socket, not a regular file; a store holds files only: remove it or move it out");
    }

    @Test
    void namesThatAreNotUtf8AreRefused() throws Exception {
        var touch = new ProcessBuilder("sh", "-c", "touch \"$1/$(printf 'a\\377b')\"", "sh", files.toString())
                .inheritIO()
                .start();
        assertThat(touch.waitFor()).isZero();
        assertThat(list().problems())
                .containsExactly("files/a?b has a name that is not valid UTF-8, which a key must be; rename it");
    }

    @Test
    void nonAsciiUtf8NamesAreKeys() throws IOException {
        Files.writeString(files.resolve("caf\u00e9.txt"), "ok\n");
        assertThat(keys(list())).contains("caf\u00e9.txt");
    }

    @Test
    void emptyDirectoriesAddNothing() throws IOException {
        Files.createDirectories(files.resolve("empty/deeper"));
        var l = list();
        assertThat(l.problems()).isEmpty();
        assertThat(keys(l)).containsExactly("css/site.css", "index.html");
        Files.delete(files.resolve("index.html"));
        Files.delete(files.resolve("css/site.css"));
        assertThat(list().entries()).isEmpty();
    }

    @Test
    void backslashesCannotBeKeys() throws IOException {
        Files.writeString(files.resolve("a\\b"), "x");
        assertThat(list().problems())
                .containsExactly("files/a\\b has a backslash in its name, which a key may not have; rename it");
    }

    @Test
    void everyProblemIsReportedAtOnceInPathOrder() throws IOException {
        Files.createSymbolicLink(files.resolve("z-gone"), Path.of("nope"));
        Files.createSymbolicLink(files.resolve("css/a-gone"), Path.of("nope"));
        assertThat(list().problems()).hasSize(2).first().asString().startsWith("files/css/a-gone ");
    }
}
