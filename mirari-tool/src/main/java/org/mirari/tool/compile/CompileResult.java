package org.mirari.tool.compile;

import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A successful compilation.
 *
 * @param classes   class files by jar entry name ({@code Main.class}, {@code com/x/Y.class}), sorted
 * @param warnings  warnings the compiler gave (errors make {@link JavaCompilation} throw instead)
 */
public record CompileResult(SortedMap<String, byte[]> classes, List<CompileDiagnostic> warnings) {
    public CompileResult {
        classes = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(classes));
        warnings = List.copyOf(warnings);
    }
}
