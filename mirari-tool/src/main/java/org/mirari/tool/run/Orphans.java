package org.mirari.tool.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes a child die with the process that started it, even when that process is killed with SIGKILL
 * and no shutdown hook runs: the child is started through util-linux's {@code setpriv --pdeathsig
 * KILL}, which sets {@code PR_SET_PDEATHSIG} (prctl(2)) and then execs the real command, so the pid,
 * the console and the exit code are the command's own.
 *
 * <p>The kernel sends the signal when the <em>thread</em> that forked the child ends, not the
 * process: a child must be started from a thread that lives as long as it does (the run thread of a
 * {@link RunHandle}, or the tool's main thread in the foreground). Where {@code setpriv} is missing
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
}
