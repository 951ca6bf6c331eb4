package org.mirari.tool.error;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import org.junit.jupiter.api.Test;

/** An I/O failure that no step put in words becomes one line about the machine, never an internal error. */
class UnhandledIoTest {
    @Test
    void aFullDiskNamesThePathAndIsExit6() {
        var m = EnvironmentException.ofUnhandled(new UncheckedIOException(
                        new FileSystemException("/cache/jre/x", null, "No space left on device")))
                .orElseThrow();
        assertThat(m.exitCode()).isEqualTo(ExitCode.ENVIRONMENT);
        assertThat(m.getMessage())
                .isEqualTo("cannot use /cache/jre/x (no space left on device); free some space on that file system");
    }

    @Test
    void aRefusedPathSaysHowToPointMirariElsewhere() {
        var m = EnvironmentException.ofUnhandled(new AccessDeniedException("/cache/jre/x"))
                .orElseThrow();
        assertThat(m.exitCode()).isEqualTo(ExitCode.ENVIRONMENT);
        assertThat(m.getMessage())
                .isEqualTo("cannot use /cache/jre/x (permission denied); make it exist and be writable by this user, or"
                        + " point Mirari elsewhere (MIRARI_CACHE, XDG_CACHE_HOME, HOME)");
    }

    @Test
    void anyOtherIoErrorFailsTheBuildWithTheSystemsWords() {
        var m = EnvironmentException.ofUnhandled(new IOException("Input/output error"))
                .orElseThrow();
        assertThat(m.exitCode()).isEqualTo(ExitCode.BUILD);
        assertThat(m.getMessage())
                .isEqualTo("an I/O operation failed (input/output error); check the file system and try again");
    }

    @Test
    void aBugStaysABug() {
        assertThat(EnvironmentException.ofUnhandled(new IllegalStateException("x")))
                .isEmpty();
    }
}
