package org.mirari.tool.compile;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What to compile.
 *
 * @param sources    the {@code .java} files (the user's and the generated {@code Main.java})
 * @param classpath  jars the sources compile against (the runtime and the resolved packages)
 * @param release    the Java feature version to compile for ({@code --release})
 * @param conf       the app's conf file, used to point errors in generated code back at the conf
 *                   line that produced them; empty when there is none
 * @param runtime    the Java home the tool runs on ({@code java.home}, from the tool's context), which
 *                   the error names when it has no compiler
 */
public record CompileRequest(
        List<Path> sources, List<Path> classpath, int release, Optional<Path> conf, Optional<Path> runtime) {
    public CompileRequest {
        sources = List.copyOf(sources);
        classpath = List.copyOf(classpath);
        Objects.requireNonNull(conf, "conf");
        Objects.requireNonNull(runtime, "runtime");
        if (release < 8) throw new IllegalArgumentException("release " + release + " is below 8");
    }

    /** A request that does not name the runtime the tool runs on. */
    public CompileRequest(List<Path> sources, List<Path> classpath, int release, Optional<Path> conf) {
        this(sources, classpath, release, conf, Optional.empty());
    }
}
