package org.mirari.tool.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A machine whose {@code /tmp} cannot be written (a read-only empty tmpfs over it, in a mount
 * namespace of the test's own): the real launcher configures and builds an app as it does
 * elsewhere, without a word about {@code /tmp}, since neither the launcher nor the tool puts
 * anything there. The app lives in the build's target directory, outside what the namespace hides
 * (a checkout that itself lies under {@code /tmp} is bound back in place). Needs root (to unshare
 * and mount); skipped with the reason otherwise.
 */
class NoWritableTmpIT {
    Path base;

    @BeforeEach
    void setUp() throws Exception {
        String why = !"root".equals(System.getProperty("user.name"))
                ? "only root can make a mount namespace"
                : !Files.isExecutable(Path.of("/usr/bin/unshare")) ? "unshare (util-linux) is not installed" : null;
        if (why != null) System.out.println("NoWritableTmpIT skipped: " + why);
        Assumptions.assumeTrue(why == null, why);
        base = MirariRun.HOME.resolve("mirari-tool/target/no-writable-tmp-it");
        deleteTree(base);
        Files.createDirectories(base);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (base != null) deleteTree(base);
    }

    @Test
    void configureAndBuildNeedNoTmp() throws Exception {
        var app = MirariRun.copyExample("hello", base);
        var home = Files.createDirectories(base.resolve("home"));
        var launcher = MirariRun.HOME.resolve("bin/mirari").toString();
        // The launcher's one-time start-up caches say so on their first use; make them first, so
        // that the run under test owes nothing to which test ran before it.
        try (var warm = MirariRun.start(base, Map.of("HOME", home.toString()), List.of(launcher, "--version"))) {
            assertThat(warm.exitCode(Duration.ofMinutes(3))).as(warm.output()).isZero();
        }
        var cmd = new ArrayList<>(List.of(
                "unshare",
                "--mount",
                "--propagation",
                "private",
                "sh",
                "-c",
                // A checkout under /tmp (a CI clone made by mktemp -d, say) must stay visible and
                // writable under the cover: it is bound aside to /mnt (in this namespace only),
                // then back at its own path on the covering tmpfs, which is made read-only last.
                """
                P="$1"; shift
                case "$P" in /tmp/*) mount --bind "$P" /mnt || exit 90;; esac
                mount -t tmpfs -o size=16k tmpfs /tmp || exit 91
                case "$P" in /tmp/*) { mkdir -p "$P" && mount --bind /mnt "$P"; } || exit 92;; esac
                mount -o remount,ro /tmp && ! touch /tmp/probe 2>/dev/null && exec "$@"
                """,
                "sh",
                MirariRun.HOME.toAbsolutePath().toString(),
                launcher,
                "build",
                "-q",
                app.toString()));
        try (var run = MirariRun.start(base, Map.of("HOME", home.toString()), cmd)) {
            assertThat(run.exitCode(Duration.ofMinutes(3))).as(run.output()).isZero();
            assertThat(run.output()).isEmpty();
        }
        assertThat(app.resolve(".mirari/socket/hello.jar")).isRegularFile();
        assertThat(app.resolve("mir-hello")).isRegularFile();
    }

    private static void deleteTree(Path dir) throws Exception {
        if (!Files.exists(dir)) return;
        try (var all = Files.walk(dir)) {
            for (var p : all.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
