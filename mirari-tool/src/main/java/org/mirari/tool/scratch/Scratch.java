package org.mirari.tool.scratch;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Temporary paths in Mirari's own directories that never outlive the work that made them.
 *
 * <p>A JVM ended by Ctrl-C or SIGTERM runs its shutdown hooks but no {@code finally} block, and
 * {@code File.deleteOnExit} removes only files and empty directories: a half-linked runtime would
 * stay in the cache for good. So every temporary path made here is registered, and one hook first
 * stops the tools this process still runs ({@link #track}: jlink, zstd, apt-get, a training JVM,
 * which would otherwise go on writing into what is removed), then removes the paths. A SIGKILL runs
 * no hook: the path's name carries its maker's pid and start time, and {@link #sweep} (called by
 * each user of a cache directory before it makes its own) removes what a process that is gone left.
 */
public final class Scratch {
    /** {@code .<kind>-<pid>.<start in ms>-<random>[suffix]}: enough to tell whether the maker still runs. */
    private static final Pattern NAME = Pattern.compile("\\.([a-z]+)-(\\d+)\\.(\\d+)-[0-9a-f]{8}[^/]*");

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Set<Path> PATHS = new LinkedHashSet<>();
    private static final Set<Process> PROCESSES = new LinkedHashSet<>();
    private static final Set<Path> DOWNLOADS = new LinkedHashSet<>();
    private static boolean hooked;
    /** Set when the shutdown hook begins: from then on no tool starts and no scratch path is made. */
    private static boolean stopping;
    /** Tools being started ({@link #start}): the hook waits for them, so none starts unseen. */
    private static int starting;

    private Scratch() {}

    /** A new empty directory in {@code parent} (made if need be) for {@code kind} of work ({@code link}). */
    public static Path directory(Path parent, String kind) throws IOException {
        return make(parent, kind, "", Files::createDirectory);
    }

    /** A new empty file in {@code parent} (made if need be), ending in {@code suffix}. */
    public static Path file(Path parent, String kind, String suffix) throws IOException {
        return make(parent, kind, suffix, Files::createFile);
    }

    /**
     * A path for a directory that this process makes later, at a step of its own (a VM run's
     * directory, which QEMU's command names before the run begins): registered now, so the shutdown
     * hook removes it, and named as {@link #sweep} expects, so a later run removes it once this
     * process is gone (SIGKILL). Only for a path the same process makes and uses.
     */
    public static Path reserve(Path parent, String kind) throws IOException {
        var p = parent.resolve(name(kind, ""));
        register(p);
        return p;
    }

    @FunctionalInterface
    private interface Create {
        Path at(Path p, java.nio.file.attribute.FileAttribute<?>... attributes) throws IOException;
    }

    /** Registered before it exists, so that no moment passes in which a shutdown would miss it. */
    private static Path make(Path parent, String kind, String suffix, Create create) throws IOException {
        Files.createDirectories(parent);
        for (; ; ) {
            var p = parent.resolve(name(kind, suffix));
            try {
                register(p);
                return create.at(p);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                unregister(p);
            } catch (IOException e) {
                unregister(p);
                throw e;
            }
        }
    }

    /**
     * Removes {@code path} (a tree) now, if it is still there, and forgets it; quietly, since the
     * work is done or has failed already and a leftover is swept by the next run.
     */
    public static void remove(Path path) {
        deleteTree(path);
        unregister(path);
    }

    /** Forgets {@code path} without removing it: it was renamed into place, or is gone. */
    public static void keep(Path path) {
        unregister(path);
    }

    /**
     * For a download of {@code file} that another library (maven-resolver) is about to make, into a
     * sibling {@code <file's name>.<anything>.tmp} that it renames into place when done: removes such
     * siblings now, which a run killed mid-download (SIGKILL: no hook) left, and again at this JVM's
     * shutdown, which a Ctrl-C now would leave. The caller must hold the library's lock on
     * {@code file} (maven-resolver's file lock, across processes), so that no sibling is a live
     * download of another run, and call this before its own download begins.
     */
    public static void downloading(Path file) {
        var absolute = file.toAbsolutePath();
        removeDownloads(absolute);
        synchronized (Scratch.class) {
            hook();
            DOWNLOADS.add(absolute);
        }
    }

    /** Starts a process: {@link ProcessBuilder#start}, or a guarded start of it. */
    @FunctionalInterface
    public interface Starter {
        Process start() throws IOException;
    }

    /**
     * Starts a tool and tracks it ({@link #track}) with no gap between the two: a Ctrl-C that comes
     * while the tool starts waits for it, and stops it, instead of missing it and removing its
     * directory before the tool writes into it (the hook would end, and the tool's partial output
     * would stay). Refused once the JVM shuts down.
     */
    public static Process start(Starter starter) throws IOException {
        synchronized (Scratch.class) {
            hook();
            if (stopping) throw new IOException("not started: the tool is being stopped");
            starting++;
        }
        Process p = null;
        try {
            p = starter.start();
            return p;
        } finally {
            synchronized (Scratch.class) {
                starting--;
                if (p != null) PROCESSES.add(p);
                Scratch.class.notifyAll();
            }
        }
    }

    /** Stops {@code process} (and what it started) if this JVM shuts down while it runs; returns it. */
    public static Process track(Process process) {
        synchronized (Scratch.class) {
            hook();
            PROCESSES.add(process);
        }
        return process;
    }

    public static void untrack(Process process) {
        synchronized (Scratch.class) {
            PROCESSES.remove(process);
        }
    }

    /**
     * Removes the temporary paths in {@code dir} whose maker is gone (not running, or its pid now
     * belongs to a process started at another time); returns them. A missing directory has none.
     */
    public static List<Path> sweep(Path dir) {
        var swept = new ArrayList<Path>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, ".*-*")) {
            for (var p : s) {
                var m = NAME.matcher(p.getFileName().toString());
                if (m.matches() && !running(Long.parseLong(m.group(2)), Long.parseLong(m.group(3)))) {
                    deleteTree(p);
                    swept.add(p);
                }
            }
        } catch (IOException | RuntimeException e) {
            // no such directory, or one we may not list: nothing of ours to sweep
        }
        return swept;
    }

    /** The name of a new temporary path: its kind, this process's pid and start time, and a random part. */
    static String name(String kind, String suffix) {
        var self = ProcessHandle.current();
        return "." + kind + "-" + self.pid() + "." + startMillis(self).orElse(0L) + "-"
                + HexFormat.of().formatHex(bytes4()) + suffix;
    }

    private static byte[] bytes4() {
        var b = new byte[4];
        RANDOM.nextBytes(b);
        return b;
    }

    /** Whether process {@code pid} runs and started at {@code start} (ms since the epoch; 0: unknown, so it counts). */
    static boolean running(long pid, long start) {
        var p = ProcessHandle.of(pid);
        if (p.isEmpty() || !p.get().isAlive()) return false;
        var s = startMillis(p.get());
        return start == 0 || s.isEmpty() || s.get() == start;
    }

    private static Optional<Long> startMillis(ProcessHandle p) {
        return p.info().startInstant().map(java.time.Instant::toEpochMilli);
    }

    private static synchronized void register(Path p) throws IOException {
        hook();
        // After the hook has removed the paths, a new one would outlive the JVM.
        if (stopping) throw new IOException(p + " not made: the tool is being stopped");
        PATHS.add(p.toAbsolutePath());
    }

    private static synchronized void unregister(Path p) {
        PATHS.remove(p.toAbsolutePath());
    }

    private static void hook() {
        if (hooked) return;
        hooked = true;
        try {
            Runtime.getRuntime().addShutdownHook(new Thread(Scratch::atShutdown, "mirari-scratch"));
        } catch (IllegalStateException e) {
            // Asked for while the JVM shuts down (from another hook): the caller's own finally removes its path.
        }
    }

    /** Stops the tools, then removes the paths, twice: the main thread runs on until the JVM halts. */
    private static void atShutdown() {
        List<Process> processes;
        List<Path> paths;
        List<Path> downloads;
        synchronized (Scratch.class) {
            stopping = true;
            // A tool being started is in PROCESSES once started: wait (bounded) for it to get there.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            for (long left; starting > 0 && (left = deadline - System.nanoTime()) > 0; ) {
                try {
                    TimeUnit.NANOSECONDS.timedWait(Scratch.class, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            processes = List.copyOf(PROCESSES);
            paths = List.copyOf(PATHS);
            downloads = List.copyOf(DOWNLOADS);
        }
        for (var p : processes) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        for (var p : processes) {
            try {
                p.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (int round = 0; round < 2; round++) paths.forEach(Scratch::deleteTree);
        downloads.forEach(Scratch::removeDownloads);
    }

    /** Removes the siblings {@code <file's name>.<anything>.tmp} of {@code file}. */
    private static void removeDownloads(Path file) {
        String prefix = file.getFileName() + ".";
        try (DirectoryStream<Path> s = Files.newDirectoryStream(file.getParent(), prefix + "*.tmp")) {
            for (var p : s) Files.deleteIfExists(p);
        } catch (IOException | RuntimeException e) {
            // nothing there, or not ours to remove
        }
    }

    private static void deleteTree(Path root) {
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
                    Files.deleteIfExists(f);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path f, IOException e) {
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (NoSuchFileException e) {
            // already gone
        } catch (IOException e) {
            // best effort: the next run's sweep tries again
        }
    }
}
