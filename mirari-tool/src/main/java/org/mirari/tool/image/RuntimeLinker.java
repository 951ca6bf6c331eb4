package org.mirari.tool.image;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeSet;
import org.mirari.tool.error.BuildException;
import org.mirari.tool.event.Event;
import org.mirari.tool.event.EventSink;

/**
 * Makes the minimal Java runtime of an image: {@code jdeps} finds the modules the app's jars use,
 * {@code depends} adds the ones reflection hides, and {@code jlink} links them stripped (no debug
 * attributes, headers or man pages) with a default CDS archive, which halves JVM start-up.
 *
 * <p>Runtimes are cached by a hash of the JDK's {@code release} file, the module set and the jlink
 * options ({@code <cache>/jre/<hash>}), so most builds skip jlink entirely.
 */
public final class RuntimeLinker {
    /** Always present: the runtime's HTTP server ({@code com.sun.net.httpserver}) is looked up by the app's Main. */
    static final List<String> BASE_MODULES = List.of("java.base");

    static final List<String> JLINK_OPTIONS =
            List.of("--strip-debug", "--no-header-files", "--no-man-pages", "--generate-cds-archive");

    private final Path cache;
    private final EventSink events;

    public RuntimeLinker(Path cacheDir, EventSink events) {
        this.cache = cacheDir.resolve("jre");
        this.events = events;
    }

    /** The modules {@code jdeps} infers for {@code classPath}, plus {@code extra}, sorted. */
    public List<String> modules(Path javaHome, List<Path> classPath, Collection<String> extra) {
        var modules = new TreeSet<>(BASE_MODULES);
        modules.addAll(extra);
        if (!classPath.isEmpty()) {
            String cp = String.join(
                    java.io.File.pathSeparator,
                    classPath.stream().map(Path::toString).toList());
            var cmd = new ArrayList<>(List.of(
                    tool(javaHome, "jdeps"),
                    "--print-module-deps",
                    "--ignore-missing-deps",
                    "-q",
                    "--multi-release",
                    Integer.toString(Runtime.version().feature()),
                    "--class-path",
                    cp));
            classPath.forEach(p -> cmd.add(p.toString()));
            Exec r = run(cmd);
            if (!r.ok())
                throw new BuildException(
                        "jdeps failed: " + r.lastLine() + "; list the modules the app needs in depends");
            for (String m : r.output().strip().split(",")) {
                if (!m.isBlank()) modules.add(m.strip());
            }
        }
        return List.copyOf(modules);
    }

    /** A linked runtime holding {@code modules}, from the cache or made now. */
    public Path link(Path javaHome, List<String> modules) {
        try {
            String key = key(javaHome, modules);
            Path dir = cache.resolve(key);
            if (Files.isRegularFile(dir.resolve("release"))) return dir;
            Files.createDirectories(cache);
            events.emit(new Event.Info("jlink: " + String.join(",", modules)));
            Path tmp = Files.createTempDirectory(cache, ".link-");
            Path out = tmp.resolve("jre");
            var cmd = new ArrayList<>(List.of(
                    tool(javaHome, "jlink"), "--add-modules", String.join(",", modules), "--output", out.toString()));
            cmd.addAll(JLINK_OPTIONS);
            Exec r = run(cmd);
            try {
                if (!r.ok()) throw new BuildException("jlink failed: " + r.lastLine());
                slim(out);
                try {
                    Files.move(out, dir, StandardCopyOption.ATOMIC_MOVE);
                } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
                    // Linked concurrently by another build.
                } catch (IOException e) {
                    if (!Files.isRegularFile(dir.resolve("release"))) throw e;
                }
            } finally {
                KernelCache.deleteTree(tmp);
            }
            return dir;
        } catch (IOException e) {
            throw new BuildException("cannot link the Java runtime: " + e.getMessage(), e);
        }
    }

    /**
     * Removes what a small guest never uses: the CDS archive for heaps over 32 GiB (no compressed
     * oops) and the native symbol tables ({@code strip --strip-unneeded}, deterministic; skipped
     * when binutils is missing). Saves about 19 MB of the image's 80.
     */
    private static void slim(Path jre) throws IOException {
        Files.deleteIfExists(jre.resolve("lib/server/classes_nocoops.jsa"));
        var natives = new ArrayList<Path>();
        try (var s = Files.walk(jre)) {
            s.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().endsWith(".so"))
                    .sorted()
                    .forEach(natives::add);
        }
        if (natives.isEmpty()) return;
        var cmd = new ArrayList<>(List.of("strip", "--strip-unneeded"));
        natives.forEach(p -> cmd.add(p.toString()));
        Exec.run(null, cmd); // best effort: an unstripped library works the same
    }

    private static String key(Path javaHome, List<String> modules) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        Path release = javaHome.resolve("release");
        if (Files.isRegularFile(release)) md.update(Files.readAllBytes(release));
        md.update(javaHome.toRealPath().toString().getBytes(StandardCharsets.UTF_8));
        md.update(String.join(",", modules).getBytes(StandardCharsets.UTF_8));
        md.update(String.join(" ", JLINK_OPTIONS).getBytes(StandardCharsets.UTF_8));
        md.update("slim-1".getBytes(StandardCharsets.UTF_8)); // bump when slim() changes
        return HexFormat.of().formatHex(md.digest()).substring(0, 32);
    }

    static String tool(Path javaHome, String name) {
        Path p = javaHome.resolve("bin").resolve(name);
        if (!Files.isExecutable(p))
            throw new BuildException(
                    javaHome + " has no bin/" + name + "; a JDK (not a JRE) is needed to build VM images");
        return p.toString();
    }

    private static Exec run(List<String> cmd) {
        try {
            return Exec.run(null, cmd);
        } catch (IOException e) {
            throw new BuildException(cmd.getFirst() + " could not run: " + e.getMessage(), e);
        }
    }
}
