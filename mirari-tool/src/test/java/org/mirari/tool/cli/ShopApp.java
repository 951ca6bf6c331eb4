package org.mirari.tool.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The app that in-process CLI tests configure: {@code shop/} with {@code Shop.java} and
 * {@code files/index.html}, and a HOME of its own whose {@code settings.xml} points at a local
 * repository in the test's directory (and, when asked, at a mirror), so nothing touches the real
 * {@code ~/.m2}. {@link #mirari} runs the CLI there and keeps what it printed on stderr.
 */
final class ShopApp {
    final Path app;
    final Path home;
    final Path repo;
    private ByteArrayOutputStream err = new ByteArrayOutputStream();

    ShopApp(Path tmp) throws IOException {
        app = Files.createDirectories(tmp.resolve("shop"));
        Files.createDirectories(app.resolve("files"));
        Files.writeString(app.resolve("files/index.html"), "<h1>shop</h1>\n");
        Files.writeString(app.resolve("Shop.java"), "public final class Shop {}\n");
        home = Files.createDirectories(tmp.resolve("home/.m2")).getParent();
        repo = tmp.resolve("repo");
        settings("");
    }

    /** Writes {@code ~/.m2/settings.xml} with the local repository and {@code more} (e.g. {@code <mirrors>}). */
    void settings(String more) throws IOException {
        Files.writeString(home.resolve(".m2/settings.xml"), """
                <settings>
                  <localRepository>%s</localRepository>
                  %s
                </settings>
                """.formatted(repo, more));
    }

    /** Makes every repository be reached through the mirror {@code id} at {@code url}. */
    void mirror(String id, String url) throws IOException {
        settings("<mirrors><mirror><id>" + id + "</id><url>" + url + "</url><mirrorOf>*</mirrorOf></mirror></mirrors>");
    }

    void conf(String text) throws IOException {
        Files.writeString(app.resolve("shop.conf"), text);
    }

    /** {@code mirari args...} in the app's directory with {@code env}; its exit code. */
    int mirari(Map<String, String> env, String... args) {
        err = new ByteArrayOutputStream();
        var ctx = new CliContext(
                app,
                env,
                Path.of(System.getProperty("mirari.home")),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return MirariCli.run(args, ctx);
    }

    /** {@code mirari args...} with only {@code HOME} set. */
    int mirari(String... args) {
        return mirari(Map.of("HOME", home.toString()), args);
    }

    /** What the last command printed on stderr. */
    String err() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
