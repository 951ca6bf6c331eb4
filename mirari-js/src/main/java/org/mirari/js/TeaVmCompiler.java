package org.mirari.js;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.mirari.tool.error.BuildException;
import org.mirari.tool.js.JsCompileRequest;
import org.mirari.tool.js.JsCompiler;
import org.mirari.tool.js.JsOutput;
import org.teavm.backend.javascript.JSModuleType;
import org.teavm.diagnostics.DefaultProblemTextConsumer;
import org.teavm.diagnostics.Problem;
import org.teavm.diagnostics.ProblemSeverity;
import org.teavm.tooling.TeaVMProblemRenderer;
import org.teavm.tooling.TeaVMTargetType;
import org.teavm.tooling.TeaVMTool;
import org.teavm.tooling.TeaVMToolException;
import org.teavm.tooling.TeaVMToolLog;
import org.teavm.vm.TeaVMOptimizationLevel;

/**
 * {@link JsCompiler} with TeaVM's tool API, in this JVM. TeaVM reads the app's classes, then this
 * module's jar (the runtime's JavaScript substitutions and what TeaVM's class library lacks), then
 * the app's class path, then TeaVM's own jars; its problems become one {@link BuildException}
 * whose lines name the class and method at fault and the calls that reached it.
 *
 * <p>TeaVM's tool calls {@code System.exit} when it cannot create its output directory: the
 * directory is made here first, so that never happens.
 */
public final class TeaVmCompiler implements JsCompiler {

    @Override
    public JsOutput compile(JsCompileRequest request) {
        Path classes = null;
        try {
            Files.createDirectories(request.outDir());
            classes = Files.createTempDirectory(request.outDir(), ".classes-");
            for (var e : request.classes().entrySet()) {
                var file = classes.resolve(e.getKey());
                Files.createDirectories(file.getParent());
                Files.write(file, e.getValue());
            }
            return run(request, classes);
        } catch (IOException e) {
            throw new BuildException(
                    "compiling to JavaScript failed: " + e.getMessage() + " (writing under " + request.outDir() + ")",
                    e);
        } finally {
            if (classes != null) deleteQuietly(classes);
        }
    }

    private JsOutput run(JsCompileRequest request, Path classes) throws IOException {
        var tool = new TeaVMTool();
        tool.setTargetType(TeaVMTargetType.JAVASCRIPT);
        tool.setJsModuleType(JSModuleType.ES2015);
        tool.setMainClass(request.mainClass());
        tool.setEntryPointName("main");
        tool.setTargetDirectory(request.outDir().toFile());
        tool.setTargetFileName(request.fileName());
        tool.setObfuscated(true);
        tool.setOptimizationLevel(TeaVMOptimizationLevel.ADVANCED);
        tool.setIncremental(false);
        tool.setDebugInformationGenerated(false);
        tool.setSourceMapsFileGenerated(false);
        tool.setClassLoader(TeaVmCompiler.class.getClassLoader());
        tool.setClassPath(classPath(request, classes));
        var log = new Log();
        tool.setLog(log);
        try {
            tool.generate();
        } catch (TeaVMToolException | RuntimeException e) {
            throw new BuildException("compiling to JavaScript failed: TeaVM: " + e, e);
        }
        var errors = new ArrayList<String>();
        var warnings = new ArrayList<String>();
        for (Problem problem : tool.getProblemProvider().getProblems()) {
            var text = render(tool, problem);
            (problem.getSeverity() == ProblemSeverity.ERROR ? errors : warnings).add(text);
        }
        if (!errors.isEmpty()) {
            throw new BuildException(String.join("\n", errors) + "\ncompiling to JavaScript failed: " + errors.size()
                    + (errors.size() == 1 ? " error" : " errors")
                    + "; change the code above, or keep what JavaScript lacks off the --js path");
        }
        var file = request.outDir().resolve(request.fileName());
        if (!Files.isRegularFile(file)) throw new BuildException("TeaVM wrote no " + file + ":\n" + log.text());
        return new JsOutput(file, warnings);
    }

    /** The app's classes, this module's jar, the app's class path, then every jar beside this one in {@code lib/}. */
    private static List<File> classPath(JsCompileRequest request, Path classes) throws IOException {
        var files = new ArrayList<File>();
        files.add(classes.toFile());
        var own = ownJar();
        files.add(own.toFile());
        request.classpath().forEach(p -> files.add(p.toFile()));
        var lib = own.getParent().resolve("lib");
        if (Files.isRegularFile(own) && Files.isDirectory(lib)) {
            try (Stream<Path> jars = Files.list(lib)) {
                jars.filter(p -> p.toString().endsWith(".jar")).sorted().forEach(p -> files.add(p.toFile()));
            }
        } else {
            // Tests: this module's classes directory, TeaVM's jars on the JVM's class path.
            for (var entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
                if (entry.contains("teavm")) files.add(new File(entry));
            }
        }
        return files;
    }

    /** Where this class was loaded from: the module's jar, or its classes directory in tests. */
    private static Path ownJar() {
        CodeSource source = TeaVmCompiler.class.getProtectionDomain().getCodeSource();
        try {
            return Path.of(source.getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code Noip.main(Noip.java:12): Method java.lang.String.lines()... was not found (reached from ...)}. */
    private static String render(TeaVMTool tool, Problem problem) {
        var consumer = new DefaultProblemTextConsumer();
        problem.render(consumer);
        var location = problem.getLocation();
        var at = new StringBuilder();
        if (location != null)
            TeaVMProblemRenderer.renderCallLocation(location.getMethod(), location.getSourceLocation(), at);
        var stack = new StringBuilder();
        TeaVMProblemRenderer.renderCallStack(tool.getDependencyInfo().getCallGraph(), location, stack);
        // The stack's first frame is the location itself; the rest are the calls that reached it.
        var frames = java.util.Arrays.stream(stack.toString().split("\n    at "))
                .map(String::strip)
                .filter(f -> !f.isEmpty())
                .skip(1)
                .toList();
        return (at.isEmpty() ? "" : at + ": ")
                + consumer.getText()
                + (frames.isEmpty() ? "" : " (reached from " + String.join(" <- ", frames) + ")");
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory under .mirari/js: the next build replaces it
        }
    }

    /** TeaVM's log, kept for a failure's message; the build's own events say what happens. */
    private static final class Log implements TeaVMToolLog {
        private final StringBuilder text = new StringBuilder();

        String text() {
            return text.toString();
        }

        @Override
        public void info(String s) {}

        @Override
        public void debug(String s) {}

        @Override
        public void warning(String s) {
            text.append("warning: ").append(s).append('\n');
        }

        @Override
        public void error(String s) {
            text.append("error: ").append(s).append('\n');
        }

        @Override
        public void info(String s, Throwable t) {}

        @Override
        public void debug(String s, Throwable t) {}

        @Override
        public void warning(String s, Throwable t) {
            warning(s + ": " + t);
        }

        @Override
        public void error(String s, Throwable t) {
            error(s + ": " + t);
        }
    }
}
