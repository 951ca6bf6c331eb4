package org.mirari.tool.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mirari man}: which page a command line names, in a checkout of the test's own (the pages
 * themselves, made by the build, are held by mirari-man's tests).
 */
class ManCommandTest {
    @TempDir
    Path home;

    record Outcome(int code, String out, String err) {}

    Outcome man(Map<String, String> env, String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        var context = new CliContext(
                home,
                env,
                home,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        var all = new String[args.length + 1];
        all[0] = "man";
        System.arraycopy(args, 0, all, 1, args.length);
        int code = MirariCli.run(all, context);
        return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    Path page(String name) throws Exception {
        var dir = Files.createDirectories(home.resolve("share/man/man1"));
        return Files.writeString(dir.resolve(name), ".TH X 1\n");
    }

    @Test
    void aSubcommandsWordsNameItsPage() throws Exception {
        var page = page("mirari-deploy-ec2.1");
        assertThat(man(Map.of(), "--json", "deploy", "ec2").out())
                .isEqualTo("{\"event\":\"man\",\"page\":\"" + page + "\"}\n{\"event\":\"exit\",\"code\":0}\n");
        var root = page("mirari.1");
        assertThat(man(Map.of(), "--json").out()).startsWith("{\"event\":\"man\",\"page\":\"" + root + "\"}");
    }

    @Test
    void aWordThatIsNoCommandIsAUsageErrorListingTheCommands() throws Exception {
        page("mirari-deploy.1");
        var r = man(Map.of(), "deploy", "gcp");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err())
                .isEqualTo("mirari: mirari deploy gcp is not a command; the commands of mirari deploy: ec2, k8s\n");
        // The hidden command has no page.
        assertThat(man(Map.of(), "supervise").err()).startsWith("mirari: mirari supervise is not a command;");
    }

    @Test
    void pagesNeverBuiltAreExitFiveWithTheBuildCommand() {
        var r = man(Map.of(), "run");
        assertThat(r.code()).isEqualTo(5);
        assertThat(r.err())
                .isEqualTo("mirari: no man page " + home.resolve("share/man/man1/mirari-run.1")
                        + ": the pages are made when the tool is built (module mirari-man); build them: (cd " + home
                        + " && ./mvnw -q install -Dmaven.test.skip=true)\n");
    }

    @Test
    void withoutManOnPathTheFixIsThePackageOrGroff() throws Exception {
        var page = page("mirari-run.1");
        var r = man(Map.of("PATH", home.toString()), "run");
        assertThat(r.code()).isEqualTo(5);
        assertThat(r.err())
                .isEqualTo("mirari: man (Debian package man-db) is not on PATH (" + home + "), and mirari man needs it"
                        + " to show " + page + "; install it (apt-get install man-db) or add its directory to PATH, or"
                        + " read the page with: groff -man -Tutf8 " + page + "\n");
    }
}
