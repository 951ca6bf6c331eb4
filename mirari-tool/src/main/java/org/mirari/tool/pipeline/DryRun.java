package org.mirari.tool.pipeline;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.mirari.tool.backend.AppBuild;
import org.mirari.tool.backend.RunOptions;
import org.mirari.tool.error.MirariException;
import org.mirari.tool.plan.Plan;
import org.mirari.tool.plan.PlannedFile;

/**
 * What {@code --dry-run} prints instead of doing it: every file a step would write, with its
 * purpose, and every command it would run, as lines. Computed from the plan and the backend's
 * declared outputs, never by running a step, so a dry run writes nothing; files are named relative
 * to the app's directory, so traces are the same on every machine (golden-tested, one per target).
 */
public final class DryRun {
    private DryRun() {}

    /** What {@code configure} writes. */
    public static List<String> configure(Plan plan) {
        var lines = new ArrayList<String>();
        lines.add("configure " + plan.config().fileName() + " for "
                + plan.target().switchName() + " with JDK " + plan.jdk().feature());
        if (!plan.config().packages().isEmpty()) {
            lines.add("  resolve " + plan.config().packages().size()
                    + " package(s) from Maven repositories, SHA-256 checked");
        }
        for (var f : ConfigureStep.outputs(plan)) lines.add(write(plan.appDir(), f));
        return lines;
    }

    /** What {@code build} writes: configure's files, then the target's. */
    public static List<String> build(Pipeline pipeline) {
        var plan = pipeline.plan();
        var lines = new ArrayList<>(configure(plan));
        lines.add(write(
                plan.appDir(),
                new PlannedFile(plan.outputs().configureStamp(), "configure's fingerprint, for the up-to-date check")));
        AppBuild app = pipeline.appBuild(pipeline.knownDependencies());
        lines.add("build " + plan.name() + " for --" + plan.target().switchName());
        // The generated Main.java is among the sources once configure has written it.
        var main = plan.outputs().mainJava();
        boolean configured = app.sources().stream()
                .anyMatch(s -> s.toAbsolutePath().normalize().equals(main));
        int n = app.sources().size() + (configured ? 0 : 1);
        lines.add("  compile " + n + (n == 1 ? " source" : " sources") + " in memory (javax.tools), for Java "
                + app.release());
        for (var f : pipeline.backend().buildOutputs(app)) lines.add(write(plan.appDir(), f));
        if (!plan.config().packages().isEmpty()) {
            lines.add(write(
                    plan.appDir(),
                    new PlannedFile(
                            plan.outputs().dependencyRecord(plan.target()),
                            "the resolved package jars, for the next no-op build")));
        }
        return lines;
    }

    /**
     * What {@code run} does after the build: the commands of the backend's run spec, or why they
     * are not known yet (a VM's command needs its built image).
     */
    public static List<String> run(Pipeline pipeline, RunOptions options) {
        var plan = pipeline.plan();
        var lines = new ArrayList<String>();
        lines.add("run " + plan.name() + " (--" + plan.target().switchName() + ")");
        try {
            var spec = pipeline.backend()
                    .launch(pipeline.appBuild(pipeline.knownDependencies()), pipeline.boot(), options);
            spec.commands().forEach(c -> lines.add("  exec " + c));
        } catch (MirariException e) {
            lines.add("  (the command is not known yet: " + e.getMessage() + ")");
        }
        return lines;
    }

    private static String write(Path appDir, PlannedFile f) {
        var p = f.path().toAbsolutePath().normalize();
        return "  write " + (p.startsWith(appDir) ? appDir.relativize(p) : p) + ": " + f.purpose();
    }
}
