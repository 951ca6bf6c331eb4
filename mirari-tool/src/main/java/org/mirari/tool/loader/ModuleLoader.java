package org.mirari.tool.loader;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.mirari.tool.error.BuildException;

/** Finds an optional module's implementation of a tool interface through {@link ServiceLoader}. */
public final class ModuleLoader {
    private ModuleLoader() {}

    /**
     * The {@code service} that {@code <home>/<module>/target/<jar>} provides, with the jars of its
     * {@code lib/} beside it (as {@code bin/mirari} builds them) in a class loader named
     * {@code module} whose parent is the tool's.
     *
     * @param what how a message names the implementation ("JavaScript compiler")
     */
    public static <T> T load(Path home, String module, String jar, Class<T> service, String what) {
        var target = home.resolve(module).resolve("target");
        var main = target.resolve(jar);
        var lib = target.resolve("lib");
        if (!Files.isRegularFile(main) || !Files.isDirectory(lib)) {
            throw new BuildException(main + " (or its lib/) is missing; build Mirari first: ./mvnw install"
                    + " -DskipTests (bin/mirari does it by itself)");
        }
        var urls = new ArrayList<URL>();
        try (Stream<Path> jars = Files.list(lib)) {
            urls.add(main.toUri().toURL());
            for (var j :
                    jars.filter(p -> p.toString().endsWith(".jar")).sorted().toList())
                urls.add(j.toUri().toURL());
        } catch (IOException e) {
            throw new BuildException("cannot list " + lib + ": " + e.getMessage(), e);
        }
        return load(new URLClassLoader(module, urls.toArray(URL[]::new), service.getClassLoader()), service, what);
    }

    /** The {@code service} that {@code loader} provides (tests give the class path's). */
    public static <T> T load(ClassLoader loader, Class<T> service, String what) {
        return ServiceLoader.load(service, loader)
                .findFirst()
                .orElseThrow(() -> new BuildException(
                        "no " + what + " in " + loader.getName() + "; build Mirari first: ./mvnw install -DskipTests"));
    }
}
