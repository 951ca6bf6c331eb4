package org.mirari.tool.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Runs the real launcher as user {@code nobody} (uid 65534) through {@code setpriv}, for the
 * cases where permissions matter, even when the tests run as root (as CI does).
 *
 * <p>The checkout itself may sit inside a directory closed to other users (a {@code mktemp -d}
 * clone is 0700), so the launcher runs from a world-readable copy of what a built checkout
 * provides: {@code bin/}, the poms, the module jars and the tool's caches, with their
 * modification times kept so the copy's launcher sees an up-to-date tool and never rebuilds it.
 */
public final class Unprivileged {
    public static final int NOBODY = 65534;
    private static Path copy;

    private Unprivileged() {}

    /** Null when the launcher can run as nobody here; otherwise why not, for the skip message. */
    public static String unavailableReason() {
        if (!Files.isExecutable(Path.of("/usr/bin/setpriv"))) return "setpriv (util-linux) is not installed";
        if (!"root".equals(System.getProperty("user.name"))) return "only root can switch to user nobody";
        return null;
    }

    /** The launcher of a copy of the tool that user nobody can read and run. */
    public static synchronized Path launcher() {
        if (copy == null) copy = copyTool(MirariRun.HOME);
        return copy.resolve("bin/mirari");
    }

    /**
     * The command that runs {@code bin/mirari args...} as nobody with {@code HOME=home} (which the
     * caller makes writable for nobody).
     */
    public static List<String> command(Path home, String... args) {
        var cmd = new ArrayList<>(List.of(
                "setpriv",
                "--reuid=" + NOBODY,
                "--regid=" + NOBODY,
                "--clear-groups",
                "env",
                "HOME=" + home,
                launcher().toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Starts {@code bin/mirari args...} as nobody in {@code cwd}, with {@code HOME=home}. */
    public static MirariRun start(Path cwd, Path home, String... args) throws IOException {
        return MirariRun.start(cwd, Map.of(), command(home, args));
    }

    /**
     * Gives every user read, write and search rights under {@code dir} (a test's temporary
     * directory), and search rights on its parents up to the system's temporary directory.
     */
    public static void openUp(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (var p : (Iterable<Path>) all::iterator) {
                if (!Files.isSymbolicLink(p)) {
                    Files.setPosixFilePermissions(
                            p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxrwxrwx" : "rw-rw-rw-"));
                }
            }
        }
        var tmp = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath();
        for (var p = dir.toAbsolutePath().getParent();
                p != null && p.startsWith(tmp) && !p.equals(tmp);
                p = p.getParent()) {
            var perms = Files.getPosixFilePermissions(p);
            if (perms.add(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE))
                Files.setPosixFilePermissions(p, perms);
        }
    }

    private static Path copyTool(Path home) {
        try {
            var to = Files.createTempDirectory("mirari-unprivileged-");
            Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rwxr-xr-x"));
            // The JVMs run as nobody make /tmp/hsperfdata_nobody (each JVM's performance data; the JVM
            // removes its own file but leaves the directory): where there was none before, it goes too.
            Path perf = Path.of("/tmp/hsperfdata_nobody");
            boolean hadPerf = Files.exists(perf, LinkOption.NOFOLLOW_LINKS);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                deleteTree(to);
                if (!hadPerf) deleteTree(perf);
            }));
            var files = new ArrayList<Path>();
            try (var bin = Files.list(home.resolve("bin"))) {
                bin.forEach(files::add);
            }
            files.add(home.resolve("pom.xml"));
            for (var module : List.of("mirari-runtime", "mirari-net", "mirari-tool")) {
                files.add(home.resolve(module).resolve("pom.xml"));
                try (var target = Files.list(home.resolve(module).resolve("target"))) {
                    target.filter(p -> p.toString().endsWith(".jar")
                                    || p.toString().endsWith(".aot"))
                            .forEach(files::add);
                }
            }
            for (var f : files) {
                var dest = to.resolve(home.relativize(f).toString());
                Files.createDirectories(dest.getParent());
                Files.copy(f, dest, StandardCopyOption.COPY_ATTRIBUTES);
            }
            try (Stream<Path> all = Files.walk(to)) {
                for (var p : (Iterable<Path>) all::iterator) {
                    boolean exec = Files.isDirectory(p)
                            || p.getParent().getFileName().toString().equals("bin");
                    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(exec ? "rwxr-xr-x" : "rw-r--r--"));
                }
            }
            return to;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the tool for user nobody", e);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort at JVM exit
        }
    }
}
