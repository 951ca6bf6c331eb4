package org.mirari.tool.hosttool;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Makes a child die with the process that started it, even when that process is killed with SIGKILL
 * and no shutdown hook runs: the child is started through util-linux's {@code setpriv --pdeathsig
 * KILL}, which sets {@code PR_SET_PDEATHSIG} (prctl(2)) and then execs the real command, so the pid,
 * the console and the exit code are the command's own. Every child Mirari starts goes this way: the
 * app and its helpers ({@code run}), and the host tools of a build (jlink, zstd, apt-get, a training
 * JVM, a KVM probe), which a killed tool would otherwise leave writing into its cache.
 *
 * <p>The kernel sends the signal when the <em>thread</em> that forked the child ends, not the
 * process: a child must be started from a thread that lives as long as it does (the run thread of a
 * run handle, or the tool's main thread in the foreground). {@link #start} sees to that for callers
 * on virtual threads, whose carrier thread may end at any time. Where {@code setpriv} is missing
 * (util-linux is essential on Debian, so rarely), the command runs unguarded, and the shutdown hook
 * and {@code mirari rm -f} remain the only clean-up.
 */
public final class Orphans {
    private static final List<Path> SETPRIV = List.of(Path.of("/usr/bin/setpriv"), Path.of("/bin/setpriv"));
    private static final String SETPRIV_FOUND = SETPRIV.stream()
            .filter(Files::isExecutable)
            .map(Path::toString)
            .findFirst()
            .orElse(null);

    private Orphans() {}

    /**
     * {@code command}, started so that it gets SIGKILL when the starting thread dies. A parent that
     * dies before the child has set its death signal would go unnoticed (prctl(2) then arms a signal
     * that never comes), so a shell between {@code setpriv} and the command checks that its parent is
     * still this process, and otherwise ends at once; then it execs the command (same pid).
     */
    public static List<String> guard(List<String> command) {
        if (SETPRIV_FOUND == null || command.isEmpty()) return command;
        var guarded = new ArrayList<String>(command.size() + 8);
        guarded.addAll(List.of(
                SETPRIV_FOUND,
                "--pdeathsig",
                "KILL",
                "--",
                "/bin/sh",
                "-c",
                "[ \"$PPID\" = \"$0\" ] || exit 137; exec \"$@\"",
                Long.toString(ProcessHandle.current().pid())));
        guarded.addAll(command);
        return guarded;
    }

    /** Whether {@link #guard} can guard anything here. */
    public static boolean available() {
        return SETPRIV_FOUND != null;
    }

    /**
     * Starts {@code pb} under {@link #guard}, which is left with its own command. A program that
     * cannot be run is started unguarded, so that {@link ProcessBuilder#start} fails as it always does
     * ({@code Cannot run program ...}) rather than a shell saying {@code not found}. On a virtual
     * thread, a platform thread of its own forks the child and waits for its end, since the death
     * signal follows the forking thread.
     */
    public static Process start(ProcessBuilder pb) throws IOException {
        var command = List.copyOf(pb.command());
        if (!available() || command.isEmpty() || !runnable(command.getFirst(), pb)) return pb.start();
        pb.command(guard(command));
        try {
            if (!Thread.currentThread().isVirtual()) return pb.start();
            var started = new CompletableFuture<Process>();
            Thread.ofPlatform()
                    .daemon()
                    .name("mirari-child-" + Path.of(command.getFirst()).getFileName())
                    .start(() -> {
                        Process p;
                        try {
                            p = pb.start();
                        } catch (IOException | RuntimeException e) {
                            started.completeExceptionally(e);
                            return;
                        }
                        started.complete(p);
                        // Lives as long as the child: its end would send the child SIGKILL.
                        while (p.isAlive()) {
                            try {
                                p.waitFor();
                            } catch (InterruptedException e) {
                                // nobody interrupts this thread; wait on
                            }
                        }
                    });
            try {
                return started.join();
            } catch (CompletionException e) {
                if (e.getCause() instanceof IOException io) throw io;
                if (e.getCause() instanceof UncheckedIOException u) throw u.getCause();
                if (e.getCause() instanceof RuntimeException r) throw r;
                throw e;
            }
        } finally {
            pb.command(command);
        }
    }

    /** Whether {@code program} names an executable file (a bare name: on the child's {@code PATH}, where the shell's exec looks). */
    private static boolean runnable(String program, ProcessBuilder pb) {
        if (program.contains("/")) {
            var p = pb.directory() == null || Path.of(program).isAbsolute()
                    ? Path.of(program)
                    : pb.directory().toPath().resolve(program);
            return Files.isRegularFile(p) && Files.isExecutable(p);
        }
        return HostTools.onPath(pb.environment().get("PATH")).find(program).isPresent();
    }
}
