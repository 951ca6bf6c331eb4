package org.mirari.tool.pipeline;

import java.time.Duration;
import java.util.Optional;
import org.mirari.tool.backend.AppBuild;
import org.mirari.tool.backend.Host;
import org.mirari.tool.compile.CompileRequest;
import org.mirari.tool.compile.CompileResult;
import org.mirari.tool.compile.JavaCompilation;
import org.mirari.tool.event.Event;
import org.mirari.tool.event.EventSink;

/** The compile step every target's build starts with, so all targets compile and report it alike: in memory (javax.tools), errors mapped back to the conf. */
final class CompileStep {
    private CompileStep() {}

    /** Compiles the app's sources against {@link AppBuild#classpath()}, reporting the step and its warnings. */
    static CompileResult compile(AppBuild app, Host host, EventSink events) {
        long t0 = System.nanoTime();
        int n = app.sources().size();
        events.emit(new Event.StepStarted("compile", n + (n == 1 ? " source" : " sources")));
        var compiled = JavaCompilation.compile(new CompileRequest(
                app.sources(),
                app.classpath(),
                app.release(),
                Optional.of(app.conf()),
                host.property("java.home").map(java.nio.file.Path::of)));
        compiled.warnings().forEach(w -> events.emit(new Event.Warning(w.render())));
        events.emit(new Event.StepFinished("compile", Duration.ofNanos(System.nanoTime() - t0), false));
        return compiled;
    }
}
