package org.mirari.tool.scratch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Temporary paths named by their maker, removed when done, and swept once their maker is gone. */
class ScratchTest {
    @TempDir
    Path cache;

    @Test
    void aDirectoryIsNamedByThisProcessAndRemovedWithItsTree() throws Exception {
        var dir = Scratch.directory(cache.resolve("jre"), "link");
        assertThat(dir.getParent()).isEqualTo(cache.resolve("jre"));
        assertThat(dir.getFileName().toString())
                .matches("\\.link-" + ProcessHandle.current().pid() + "\\.\\d+-[0-9a-f]{8}");
        Files.createDirectories(dir.resolve("jre/lib"));
        Files.writeString(dir.resolve("jre/lib/modules"), "half-linked");
        Scratch.remove(dir);
        assertThat(dir).doesNotExist();
    }

    @Test
    void aSweepRemovesWhatAProcessThatIsGoneLeftAndKeepsTheRest() throws Exception {
        // A process that has ended: its pid names nothing alive (or, reused, a process started later).
        var gone = new ProcessBuilder("true").start();
        gone.waitFor();
        var left = Files.createDirectories(cache.resolve(".link-" + gone.pid() + ".1000-0123abcd/jre/lib"))
                .getParent()
                .getParent();
        Files.writeString(left.resolve("jre/lib/modules"), "left by a SIGKILL");
        var leftFile = Files.writeString(cache.resolve(".part-" + gone.pid() + ".1000-89abcdef.cpio"), "x");
        // This process's own work in progress, a pid reused by a later process, and the cache's entries.
        var mine = Scratch.directory(cache, "link");
        var reused = Files.createDirectories(
                cache.resolve(".link-" + ProcessHandle.current().pid() + ".1000-00000000"));
        var entry = Files.createDirectories(cache.resolve("0f3c2a"));
        var dotted = Files.writeString(cache.resolve(".link-notes"), "not ours");

        assertThat(Scratch.sweep(cache)).containsExactlyInAnyOrder(left, leftFile, reused);
        assertThat(left).doesNotExist();
        assertThat(leftFile).doesNotExist();
        assertThat(reused).doesNotExist();
        assertThat(mine).isDirectory();
        assertThat(entry).isDirectory();
        assertThat(dotted).exists();
        Scratch.remove(mine);
    }

    @Test
    void aReservedPathIsMadeLaterAndSweptOnlyOnceItsMakerIsGone() throws Exception {
        var run = Scratch.reserve(cache, "qemu");
        assertThat(run).doesNotExist();
        assertThat(run.getFileName().toString())
                .matches("\\.qemu-" + ProcessHandle.current().pid() + "\\.\\d+-[0-9a-f]{8}");
        Files.writeString(Files.createDirectory(run).resolve("qmp.sock"), "a socket, say");
        assertThat(Scratch.sweep(cache)).isEmpty();
        // The same run directory left by a process that has ended (SIGKILL: no hook ran).
        var gone = new ProcessBuilder("true").start();
        gone.waitFor();
        var left = Files.createDirectory(cache.resolve(".qemu-" + gone.pid() + ".1000-0123abcd"));
        Files.writeString(left.resolve("control.sock"), "left");
        assertThat(Scratch.sweep(cache)).containsExactly(left);
        Scratch.remove(run);
        assertThat(run).doesNotExist();
    }

    @Test
    void aMissingDirectoryHasNothingToSweep() {
        assertThat(Scratch.sweep(cache.resolve("absent"))).isEmpty();
    }

    @Test
    void aDownloadAboutToBeginSweepsTheFilesPartialDownloadsOnly() throws Exception {
        var dir = Files.createDirectories(cache.resolve("repo/g/a/1.0"));
        var jar = dir.resolve("a-1.0.jar");
        var partial = Files.writeString(dir.resolve("a-1.0.jar.8142973415.tmp"), "half a jar");
        var keep = List.of(
                Files.writeString(dir.resolve("a-1.0.pom"), "<project/>"),
                Files.writeString(dir.resolve("a-1.0.pom.77.tmp"), "another file's download"),
                Files.writeString(dir.resolve("a-1.0.jar.sha1"), "0123"));
        Scratch.downloading(jar);
        assertThat(partial).doesNotExist();
        for (var f : keep) assertThat(f).exists();
    }
}
