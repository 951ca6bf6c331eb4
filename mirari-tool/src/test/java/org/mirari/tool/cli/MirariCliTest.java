package org.mirari.tool.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirari.tool.error.BuildException;
import org.mirari.tool.error.ConfigException;
import org.mirari.tool.error.ResolveException;

class MirariCliTest {
    @TempDir
    Path cwd;

    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    int run(String... args) {
        var ctx = new CliContext(
                cwd,
                Map.of(),
                Path.of(System.getProperty("mirari.home", ".")),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return MirariCli.run(args, ctx);
    }

    String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    /** The option is parsed before anything is done; the conf key's own error has its line (ConfigParserTest). */
    @Test
    void aSnapshotModeThatIsNotOneIsAUsageError() {
        assertThat(run("run", "--qemu", "--snapshot=sometimes")).isEqualTo(2);
        assertThat(err()).contains("--snapshot \"sometimes\" is not a mode; use --snapshot=auto, off or refresh");
    }

    @Test
    void helpListsCommandsAndExitCodes() {
        assertThat(run("--help")).isZero();
        assertThat(out())
                .contains("Usage: mirari", "configure", "clean", "Exit codes:", "3    dependency resolution failed");
    }

    @Test
    void commandHelpListsEveryOption() {
        assertThat(run("configure", "--help")).isZero();
        assertThat(out())
                .contains(
                        "--socket",
                        "--unix",
                        "--qemu",
                        "--xen",
                        "--set=KEY=VALUE",
                        "--no-install",
                        "--offline",
                        "FILE|DIR",
                        "--quiet");
    }

    @Test
    void versionComesFromTheBuild() {
        assertThat(run("--version")).isZero();
        assertThat(out()).startsWith("mirari 0.1.0-SNAPSHOT\nJDK ");
    }

    @Test
    void deployListsWhereItDeploysAndNeedsOne() {
        assertThat(run("--help")).isZero();
        assertThat(out()).contains("deploy");
        out.reset();
        assertThat(run("deploy", "--help")).isZero();
        assertThat(out()).contains("Usage: mirari deploy", "ec2");
        assertThat(run("deploy")).isEqualTo(2);
        assertThat(err()).contains("Missing where to deploy: try mirari deploy ec2");
        out.reset();
        assertThat(run("deploy", "ec2", "--help")).isZero();
        assertThat(out())
                .contains(
                        "--region=R",
                        "--instance-type=T",
                        "--subnet=S",
                        "--security-group=G",
                        "--key-name=K",
                        "--name=N",
                        "--dry-run");
    }

    @Test
    void usageErrorsExitTwo() {
        assertThat(run()).isEqualTo(2);
        assertThat(err()).contains("Missing command");
        assertThat(run("configure", "--socket", "--xen")).isEqualTo(2);
        assertThat(run("frobnicate")).isEqualTo(2);
    }

    @Test
    void configErrorsPrintEveryProblemAndExitTwo() throws IOException {
        Files.writeString(cwd.resolve("app.conf"), "main-http: A.b\nhtp-port: 1\nhttp-port: 8o\nhttp-address: x\n");
        assertThat(run("configure")).isEqualTo(2);
        assertThat(err()).isEqualTo("""
                mirari: warning: app.conf:2:1: unknown key "htp-port" (line ignored); did you mean http-port?
                app.conf:3:12: http-port "8o" is not a number; use 1-65535
                app.conf:4:15: http-address "x" is not an IPv4 address or *; use * (all addresses) or one such as 127.0.0.1
                """);
    }

    @Test
    void unpositionedErrorsArePrefixed() {
        assertThat(run("configure")).isEqualTo(2);
        assertThat(err()).startsWith("mirari: no .conf file in the current directory");
    }

    @Test
    void oneMappingFromFailuresToExitCodes() {
        assertThat(MirariCli.exitCodeOf(new ConfigException("x"))).isEqualTo(2);
        assertThat(MirariCli.exitCodeOf(new ResolveException("x"))).isEqualTo(3);
        assertThat(MirariCli.exitCodeOf(new BuildException("x"))).isEqualTo(4);
        assertThat(MirariCli.exitCodeOf(new InterruptedException())).isEqualTo(130);
        assertThat(MirariCli.exitCodeOf(new IllegalStateException())).isEqualTo(70);
        // I/O failures that reach the top unworded are the machine's: exit 6 or 4, never 70.
        assertThat(MirariCli.exitCodeOf(new java.io.UncheckedIOException(
                        new java.nio.file.FileSystemException("/c/x", null, "No space left on device"))))
                .isEqualTo(6);
        assertThat(MirariCli.exitCodeOf(new java.nio.file.AccessDeniedException("/c/x")))
                .isEqualTo(6);
        assertThat(MirariCli.exitCodeOf(new java.io.IOException("Input/output error")))
                .isEqualTo(4);
    }
}
