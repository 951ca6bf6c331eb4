package org.mirari.tool.image;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.mirari.tool.hosttool.Orphans;
import org.mirari.tool.scratch.Scratch;

/** Runs a host tool to completion and captures what it printed. */
record Exec(int exitCode, String output) {
    static Exec run(Path dir, List<String> command) throws IOException {
        var pb = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        if (dir != null) pb.directory(dir.toFile());
        pb.environment().put("LC_ALL", "C");
        // Times are passed explicitly (mksquashfs refuses SOURCE_DATE_EPOCH beside its -all-time).
        pb.environment().remove("SOURCE_DATE_EPOCH");
        Process p;
        try {
            // Under a parent-death signal: a SIGKILL of the tool (no hook runs) also ends the tool it
            // runs; and stopped with the tool on Ctrl-C (tracked from its start): jlink or zstd left
            // running would write into what is removed.
            p = Scratch.start(() -> Orphans.start(pb));
        } catch (IOException e) {
            return new Exec(127, command.getFirst() + ": " + e.getMessage());
        }
        try {
            // Read before waiting so a chatty tool never blocks on a full pipe.
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                return new Exec(124, out + "\n(timed out)");
            }
            return new Exec(p.exitValue(), out);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + command.getFirst(), e);
        } finally {
            Scratch.untrack(p);
        }
    }

    /** {@code name} in the system's tool directories (the tool reads no environment outside its context). */
    static java.util.Optional<Path> which(String name) {
        for (String d : java.util.List.of("/usr/local/bin", "/usr/bin", "/bin")) {
            Path p = Path.of(d, name);
            if (java.nio.file.Files.isExecutable(p)) return java.util.Optional.of(p);
        }
        return java.util.Optional.empty();
    }

    boolean ok() {
        return exitCode == 0;
    }

    /** The last non-blank line, for error messages. */
    String lastLine() {
        var lines = output.strip().lines().toList();
        return lines.isEmpty() ? "(no output)" : lines.getLast();
    }
}
