package org.mirari.tool.vm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;

/**
 * Example apps built once per test JVM (failsafe runs every IT class in one) for the integration
 * tests that only run them: each class that copied and built examples/hello for {@code --qemu} paid
 * its build again (about 10 s here). The image is the one any build of those sources makes (builds
 * are reproducible, and QemuIT checks that two give the same SHA-256), so sharing it changes no
 * digest. A test that changes the app's files or outputs makes its own copy instead. The copies
 * are removed when the JVM ends.
 */
public final class BuiltOnce {
    private static final Map<String, Path> built = new HashMap<>();
    private static Path root;

    private BuiltOnce() {}

    /** examples/{@code name} built for {@code --target}; the first call builds it. */
    public static synchronized Path example(String name, String target) throws Exception {
        var key = name + " --" + target;
        var app = built.get(key);
        if (app != null) return app;
        if (root == null) {
            root = Files.createTempDirectory("mirari-built-once-");
            Runtime.getRuntime().addShutdownHook(new Thread(BuiltOnce::removeAll, "mirari-built-once-cleanup"));
        }
        var dir = Files.createDirectories(root.resolve(target));
        app = Mirari.copyTree(Mirari.HOME.resolve("examples").resolve(name), dir.resolve(name));
        try (var build = Mirari.start(dir, "build", "--" + target, app.toString())) {
            int code = build.await(Duration.ofMinutes(5));
            if (code != 0)
                throw new AssertionError(
                        "build --" + target + " of " + name + ": exit " + code + "\n" + build.output());
        }
        built.put(key, app);
        return app;
    }

    private static synchronized void removeAll() {
        try (var paths = Files.walk(root)) {
            for (var p : paths.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        } catch (IOException e) {
            System.err.println("BuiltOnce: " + root + " not removed: " + e);
        }
    }
}
