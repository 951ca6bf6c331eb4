package org.mirari.tool.supervise;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Processes by id as the state directory records them: a pid alone may be reused by an unrelated
 * process, so a recorded process is the pair (pid, start time) and counts as alive only while both
 * still match.
 */
final class Processes {
    private Processes() {}

    /** The effective uid of this process, from {@code /proc/self/status}; -1 when unknown. */
    static long euid() {
        try {
            for (var line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:"))
                    return Long.parseLong(line.substring(4).trim().split("\\s+")[1]);
            }
        } catch (java.io.IOException | RuntimeException e) {
            // unknown
        }
        return -1;
    }

    /** When process {@code pid} started (ms since the epoch), if it exists. */
    static Optional<Long> startMillis(long pid) {
        return ProcessHandle.of(pid).flatMap(h -> h.info().startInstant()).map(java.time.Instant::toEpochMilli);
    }

    /** The process recorded as ({@code pid}, {@code start}), if it is still that process and alive. */
    static Optional<ProcessHandle> alive(long pid, long start) {
        if (pid <= 0) return Optional.empty();
        return ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                // start times come from /proc with a resolution of clock ticks: allow a little
                .filter(h -> h.info()
                        .startInstant()
                        .map(i -> Math.abs(i.toEpochMilli() - start) < 1000)
                        .orElse(false));
    }
}
