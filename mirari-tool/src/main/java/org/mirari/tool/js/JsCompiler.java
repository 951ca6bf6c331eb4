package org.mirari.tool.js;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.mirari.tool.error.BuildException;

/**
 * Compiles an app's classes to JavaScript (TeaVM, in this JVM). The implementation lives in the
 * {@code mirari-js} module, which {@link #load} puts in a class loader of its own: its errors are
 * {@link BuildException}s naming the class and method at fault, and it never exits the JVM.
 */
public interface JsCompiler {

    /** Compiles, or throws a {@link BuildException} (exit 4) listing TeaVM's errors. */
    JsOutput compile(JsCompileRequest request);

    /**
     * The compiler in {@code <home>/mirari-js/target/}: {@code mirari-js-<version>.jar} and its
     * {@code lib/}, as {@code bin/mirari} builds them.
     */
    static JsCompiler load(Path home, String version) {
        var target = home.resolve("mirari-js").resolve("target");
        var jar = target.resolve("mirari-js-" + version + ".jar");
        var lib = target.resolve("lib");
        if (!Files.isRegularFile(jar) || !Files.isDirectory(lib)) {
            throw new BuildException(jar + " (or its lib/) is missing; build Mirari first: ./mvnw install"
                    + " -DskipTests (bin/mirari does it by itself)");
        }
        var urls = new ArrayList<URL>();
        try (Stream<Path> jars = Files.list(lib)) {
            urls.add(jar.toUri().toURL());
            for (var j :
                    jars.filter(p -> p.toString().endsWith(".jar")).sorted().toList())
                urls.add(j.toUri().toURL());
        } catch (IOException e) {
            throw new BuildException("cannot list " + lib + ": " + e.getMessage(), e);
        }
        return load(new URLClassLoader("mirari-js", urls.toArray(URL[]::new), JsCompiler.class.getClassLoader()));
    }

    /** The compiler {@code loader} provides (tests give the class path's). */
    static JsCompiler load(ClassLoader loader) {
        return ServiceLoader.load(JsCompiler.class, loader)
                .findFirst()
                .orElseThrow(() -> new BuildException("no JavaScript compiler in " + loader.getName()
                        + "; build Mirari first: ./mvnw install -DskipTests"));
    }
}
