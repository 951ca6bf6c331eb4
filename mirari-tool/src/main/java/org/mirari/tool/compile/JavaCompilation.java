package org.mirari.tool.compile;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.mirari.tool.error.BuildException;

/**
 * Compiles sources in this JVM with the JDK's compiler ({@code javax.tools}), keeping the class
 * files in memory. In-process compilation saves a JVM start (and javac's warm-up) per build, which
 * is most of a small app's build time.
 */
public final class JavaCompilation {
    private JavaCompilation() {}

    /**
     * Compiles, or throws a {@link BuildException} whose message lists every error as
     * {@code File.java:line: message}, one per line, with the conf origin for generated code.
     */
    public static CompileResult compile(CompileRequest request) {
        var javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new BuildException("no Java compiler in this runtime"
                    + request.runtime().map(r -> " (" + r + ")").orElse("") + "; run mirari with a JDK 25, not a JRE");
        }
        if (request.sources().isEmpty()) {
            throw new BuildException("no Java sources to compile; put the app's .java files beside its conf");
        }
        var diagnostics = new DiagnosticCollector<JavaFileObject>();
        var classes = new TreeMap<String, byte[]>();
        var options = new ArrayList<String>(List.of(
                "--release",
                Integer.toString(request.release()),
                "-encoding",
                "UTF-8",
                "-proc:none",
                "-implicit:class",
                "-g",
                "-Xlint:all,-serial,-processing,-options"));
        options.add("-classpath");
        options.add(String.join(
                java.io.File.pathSeparator,
                request.classpath().stream().map(Path::toString).toList()));
        boolean ok;
        var out = new StringWriter();
        try (StandardJavaFileManager std =
                        javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8);
                var memory = new MemoryFileManager(std, classes)) {
            var units = std.getJavaFileObjectsFromPaths(request.sources());
            ok = javac.getTask(out, memory, diagnostics, options, null, units).call();
        } catch (IOException e) {
            throw new BuildException("compiling failed: " + e.getMessage(), e);
        }
        var rendered = render(diagnostics.getDiagnostics(), request.conf());
        var errors = rendered.stream()
                .filter(CompileDiagnostic::error)
                .map(CompileDiagnostic::render)
                .toList();
        if (!ok) {
            var extra = out.toString().strip();
            var lines = new ArrayList<>(errors);
            if (lines.isEmpty() && !extra.isEmpty()) lines.add(extra);
            throw new BuildException(String.join("\n", lines) + "\ncompiling failed: " + errors.size()
                    + (errors.size() == 1 ? " error" : " errors") + "; fix the sources above");
        }
        return new CompileResult(
                classes, rendered.stream().filter(d -> !d.error()).toList());
    }

    private static List<CompileDiagnostic> render(List<Diagnostic<? extends JavaFileObject>> raw, Optional<Path> conf) {
        var origins = GeneratedOrigin.of(conf);
        var sourceCache = new HashMap<Path, List<String>>();
        var result = new ArrayList<CompileDiagnostic>();
        for (var d : raw) {
            if (d.getKind() == Diagnostic.Kind.NOTE) continue;
            Optional<Path> file = Optional.ofNullable(d.getSource()).map(s -> Path.of(s.toUri()));
            var message = d.getMessage(Locale.ROOT);
            int nl = message.indexOf('\n');
            // javac adds "symbol: ... location: ..." lines; the first line says what is wrong.
            var first = nl < 0 ? message : message.substring(0, nl);
            var detail = nl < 0
                    ? ""
                    : message.substring(nl + 1)
                            .lines()
                            .map(String::strip)
                            .filter(l -> l.startsWith("symbol:"))
                            .findFirst()
                            .map(s -> " (" + s.replaceAll("\\s+", " ") + ")")
                            .orElse("");
            Optional<String> origin = Optional.empty();
            if (file.isPresent() && origins.isPresent()) {
                var lines = sourceCache.computeIfAbsent(file.get(), JavaCompilation::readLines);
                if (GeneratedOrigin.isGenerated(lines)) origin = origins.get().origin(lines, d.getLineNumber());
            }
            result.add(new CompileDiagnostic(
                    file,
                    Math.max(0, d.getLineNumber()),
                    d.getKind() == Diagnostic.Kind.ERROR,
                    first + detail,
                    origin));
        }
        return result;
    }

    private static List<String> readLines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Sends class output to a map instead of the file system. */
    private static final class MemoryFileManager extends ForwardingJavaFileManager<JavaFileManager> {
        private final Map<String, byte[]> classes;

        MemoryFileManager(JavaFileManager delegate, Map<String, byte[]> classes) {
            super(delegate);
            this.classes = classes;
        }

        @Override
        public JavaFileObject getJavaFileForOutput(
                Location location, String className, JavaFileObject.Kind kind, FileObject sibling) {
            var entry = className.replace('.', '/') + kind.extension;
            return new SimpleJavaFileObject(URI.create("mem:///" + entry), kind) {
                @Override
                public OutputStream openOutputStream() {
                    return new ByteArrayOutputStream() {
                        @Override
                        public void close() {
                            synchronized (classes) {
                                classes.put(entry, toByteArray());
                            }
                        }
                    };
                }
            };
        }
    }
}
