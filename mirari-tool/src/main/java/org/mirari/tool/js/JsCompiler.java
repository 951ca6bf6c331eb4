package org.mirari.tool.js;

import java.nio.file.Path;
import org.mirari.tool.error.BuildException;
import org.mirari.tool.loader.ModuleLoader;

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
        return ModuleLoader.load(
                home, "mirari-js", "mirari-js-" + version + ".jar", JsCompiler.class, "JavaScript compiler");
    }

    /** The compiler {@code loader} provides (tests give the class path's). */
    static JsCompiler load(ClassLoader loader) {
        return ModuleLoader.load(loader, JsCompiler.class, "JavaScript compiler");
    }
}
