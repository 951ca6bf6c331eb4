package org.mirari.tool.js;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What to compile to JavaScript.
 *
 * @param classes    the app's class files by entry name ({@code Main.class}), as javac made them
 * @param classpath  the jars they link against (the runtime, the resolved packages), in order
 * @param mainClass  the class whose {@code main(String[])} the output exports as {@code main}
 * @param outDir     the directory the output is written to (created)
 * @param fileName   the output's file name ({@code hello.mjs}), an ES module
 */
public record JsCompileRequest(
        SortedMap<String, byte[]> classes, List<Path> classpath, String mainClass, Path outDir, String fileName) {
    public JsCompileRequest {
        classes = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(classes));
        classpath = List.copyOf(classpath);
        Objects.requireNonNull(mainClass, "mainClass");
        Objects.requireNonNull(outDir, "outDir");
        Objects.requireNonNull(fileName, "fileName");
    }
}
