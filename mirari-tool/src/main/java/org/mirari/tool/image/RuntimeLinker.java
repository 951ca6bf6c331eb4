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
import org.mirari.tool.error.EnvironmentException;
import org.mirari.tool.event.Event;
import org.mirari.tool.event.EventSink;
import org.mirari.tool.scratch.Scratch;

/**
 * Makes the minimal Java runtime of an image: {@code jdeps} finds the modules the app's jars use,
 * {@code depends} adds the ones reflection hides, and {@code jlink} links them stripped (no debug
 * attributes, headers or man pages) with a default CDS archive, which halves JVM start-up.
 *
 * <p>Runtimes are cached by a hash of the JDK's {@code release} file, the module set and the jlink
 * options ({@code <cache>/jre/<hash>}), so most builds skip jlink entirely.
 */
public final class RuntimeLinker {
    /** Always present; every other module is there because a reachable class uses it, or {@code depends} says so. */
    static final List<String> BASE_MODULES = List.of("java.base");

    static final List<String> JLINK_OPTIONS =
            List.of("--strip-debug", "--no-header-files", "--no-man-pages", "--generate-cds-archive");

    private final Path cache;
    private final EventSink events;

    public RuntimeLinker(Path cacheDir, EventSink events) {
        this.cache = cacheDir.resolve("jre");
        this.events = events;
    }

    /**
     * The modules the classes reachable from {@code mainClass} (and the jars' service providers)
     * use, plus {@code depends}, minus the modules {@code depends} removes ({@code -java.desktop}),
     * sorted. A removed module is left out even when reachable: the user knows better, and a class
     * that needs it fails loudly in the guest with {@code NoClassDefFoundError}.
     */
    public List<String> modules(Path javaHome, List<Path> classPath, String mainClass, Collection<String> depends) {
        var added = new TreeSet<String>();
        var removed = new TreeSet<String>();
        for (String d : depends) {
            if (d.startsWith("-")) removed.add(d.substring(1));
            else added.add(d);
        }
        if (removed.contains("java.base"))
            throw new BuildException("depends: -java.base cannot be removed; every Java runtime needs it");
        var modules = new TreeSet<>(BASE_MODULES);
        modules.addAll(added);
        if (!classPath.isEmpty()) {
            var reach = reach(javaHome, classPath, mainClass);
            modules.addAll(reach.modules());
            for (var u : reach.unreached().entrySet()) {
                if (!modules.contains(u.getKey()) && !removed.contains(u.getKey()))
                    events.emit(new Event.Info("jlink: leaving out " + u.getKey() + ", used only by classes the app"
                            + " cannot reach (such as " + u.getValue()
                            + "); add it to depends if reflection loads them"));
            }
        }
        for (String r : removed) {
            if (modules.remove(r))
                events.emit(new Event.Info("jlink: leaving out " + r + " (depends: -" + r
                        + "); a class that needs it fails in the guest"));
        }
        return List.copyOf(modules);
    }

    private static ModuleReach reach(Path javaHome, List<Path> classPath, String mainClass) {
        String cp = String.join(
                java.io.File.pathSeparator,
                classPath.stream().map(Path::toString).toList());
        var cmd = new ArrayList<>(List.of(
                tool(javaHome, "jdeps"),
                "-verbose:class",
                "-filter:none",
                "-q",
                "--multi-release",
                Integer.toString(Runtime.version().feature()),
                "--class-path",
                cp));
        classPath.forEach(p -> cmd.add(p.toString()));
        Exec r = run(cmd);
        if (!r.ok())
            throw new BuildException("jdeps failed: " + r.lastLine() + "; list the modules the app needs in depends");
        var roots = new ArrayList<>(List.of(mainClass));
        for (Path p : classPath) roots.addAll(serviceProviders(p));
        return ModuleReach.of(r.output(), jdkModules(javaHome), roots);
    }

    /** The JDK's modules: its {@code release} file's {@code MODULES}, else {@code java --list-modules}. */
    static java.util.Set<String> jdkModules(Path javaHome) {
        var out = new TreeSet<String>();
        try {
            Path release = javaHome.resolve("release");
            if (Files.isRegularFile(release)) {
                for (String line : Files.readAllLines(release)) {
                    if (line.startsWith("MODULES="))
                        out.addAll(List.of(
                                line.substring(8).replace("\"", "").strip().split("\\s+")));
                }
            }
        } catch (IOException e) {
            throw new BuildException("cannot read " + javaHome.resolve("release") + ": " + e.getMessage(), e);
        }
        if (out.isEmpty()) {
            Exec r = run(List.of(tool(javaHome, "java"), "--list-modules"));
            for (String line : r.output().lines().toList()) {
                String m = line.strip();
                int at = m.indexOf('@');
                if (!m.isEmpty()) out.add(at >= 0 ? m.substring(0, at) : m);
            }
        }
        return out;
    }

    /** The provider classes a jar (or class directory) lists in {@code META-INF/services}: ServiceLoader loads them by name. */
    static List<String> serviceProviders(Path entry) {
        var out = new ArrayList<String>();
        try {
            if (Files.isDirectory(entry)) {
                Path dir = entry.resolve("META-INF/services");
                if (!Files.isDirectory(dir)) return out;
                try (var s = Files.list(dir)) {
                    for (Path f : s.sorted().toList()) out.addAll(providerLines(Files.readString(f)));
                }
            } else if (Files.isRegularFile(entry)) {
                try (var jar = new java.util.jar.JarFile(entry.toFile())) {
                    for (var e : java.util.Collections.list(jar.entries())) {
                        if (!e.isDirectory() && e.getName().startsWith("META-INF/services/")) {
                            try (var in = jar.getInputStream(e)) {
                                out.addAll(providerLines(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
                            }
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new BuildException("cannot read " + entry + ": " + e.getMessage(), e);
        }
        return out;
    }

    private static List<String> providerLines(String text) {
        var out = new ArrayList<String>();
        for (String line : text.lines().toList()) {
            int hash = line.indexOf('#');
            String name = (hash >= 0 ? line.substring(0, hash) : line).strip();
            if (!name.isEmpty()) out.add(name);
        }
        return out;
    }

    /** A linked runtime holding {@code modules}, from the cache or made now. */
    public Path link(Path javaHome, List<String> modules) {
        try {
            String key = key(javaHome, modules);
            Path dir = cache.resolve(key);
            if (Files.isRegularFile(dir.resolve("release"))) return dir;
            Scratch.sweep(cache);
            events.emit(new Event.Info("jlink: " + String.join(",", modules)));
            events.emit(new Event.Activity("jlink"));
            Path tmp = Scratch.directory(cache, "link");
            Path out = tmp.resolve("jre");
            var cmd = new ArrayList<>(List.of(
                    tool(javaHome, "jlink"), "--add-modules", String.join(",", modules), "--output", out.toString()));
            cmd.addAll(JLINK_OPTIONS);
            Exec r = run(cmd);
            try {
                if (!r.ok() && EnvironmentException.diskFull(new IOException(r.output())))
                    throw EnvironmentException.cacheFull(cache, null);
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
                Scratch.remove(tmp);
            }
            return dir;
        } catch (IOException e) {
            if (EnvironmentException.diskFull(e)) throw EnvironmentException.cacheFull(cache, e);
            throw new BuildException("cannot link the Java runtime: " + e.getMessage(), e);
        }
    }

    /**
     * Removes what a small guest never uses: the CDS archive for heaps over 32 GiB (no compressed
     * oops), the native symbol tables ({@code strip --strip-unneeded}, deterministic; skipped
     * when binutils is missing) and the comments of {@code conf/security/java.security}. Saves
     * about 19 MB of the image's 80.
     */
    private static void slim(Path jre) throws IOException {
        Files.deleteIfExists(jre.resolve("lib/server/classes_nocoops.jsa"));
        // The first InetAddress of every boot reads this file (for jdk.includeInExceptions): 72 KB,
        // 69 of them comments, which the interpreted reader paid for under TCG (see PropertiesTrim).
        Path security = jre.resolve(SecurityBoot.FILE);
        if (Files.isRegularFile(security)) {
            String text = Files.readString(security, StandardCharsets.ISO_8859_1);
            Files.writeString(security, PropertiesTrim.withoutComments(text), StandardCharsets.ISO_8859_1);
        }
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
        md.update("slim-2".getBytes(StandardCharsets.UTF_8)); // bump when slim() changes
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
