package org.mirari.tool.pipeline;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.mirari.tool.codegen.MainJava;
import org.mirari.tool.codegen.PomXml;
import org.mirari.tool.codegen.StorePacker;
import org.mirari.tool.context.ToolContext;
import org.mirari.tool.error.ConfigException;
import org.mirari.tool.error.EnvironmentException;
import org.mirari.tool.event.Event;
import org.mirari.tool.event.EventSink;
import org.mirari.tool.output.GeneratedFiles;
import org.mirari.tool.output.Stamp;
import org.mirari.tool.plan.Plan;
import org.mirari.tool.plan.PlannedFile;
import org.mirari.tool.resolve.LockFile;

/**
 * The configure step: checks that the generated files' names are Mirari's, resolves and locks the
 * packages, packs the KV stores, and writes {@code Main.java}, {@code pom.xml} and the lock file
 * all at once (nothing is changed when it fails). What {@code configure} does, and what
 * {@code build} and {@code run} do when the app is not configured.
 */
public final class ConfigureStep {
    private ConfigureStep() {}

    /** How configure resolves dependencies. */
    public record Options(boolean noInstall, boolean offline) {}

    /** Every file configure writes, with its purpose (what {@code --dry-run} prints). */
    public static List<PlannedFile> outputs(Plan plan) {
        var o = plan.outputs();
        var files = new ArrayList<PlannedFile>();
        files.add(new PlannedFile(
                o.mainJava(), "the entry class that boots the runtime with the conf's settings (stamped)"));
        files.add(new PlannedFile(o.pomXml(), "a Maven build of the same app (stamped)"));
        if (!plan.config().packages().isEmpty()) {
            files.add(new PlannedFile(o.lockFile(), "every resolved artifact with its SHA-256 (stamped)"));
        }
        for (var store : plan.config().stores()) {
            files.add(new PlannedFile(o.kvStore(store.name()), "fs-" + store.name() + " packed into one mapped file"));
        }
        if (plan.config().https().selfSigned()) {
            files.add(new PlannedFile(
                    plan.config().selfSignedFiles().get(0),
                    "a self-signed certificate for local HTTPS (and its key beside it)"));
        }
        return files;
    }

    /**
     * Fails before anything is resolved or packed when configure could not write its outputs: the
     * app's own directory (a read-only checkout, an app of another user) or {@code .mirari/}.
     */
    static void requireWritable(Plan plan) {
        EnvironmentException.requireWritableDir(
                plan.appDir(),
                "the app's directory",
                "configure writes Main.java, pom.xml and .mirari/ there: make it writable (chmod u+w), or copy the app"
                        + " to a directory you may write");
        EnvironmentException.requireWritableDir(
                plan.outputs().mirariDir(),
                "Mirari's output directory",
                "make it writable (chmod -R u+w), or remove it: mirari clean");
    }

    public static void run(Plan plan, Options options, ToolContext context, EventSink sink) {
        long start = System.nanoTime();
        var config = plan.config();
        sink.emit(new Event.StepStarted(
                "configure",
                config.fileName() + " for " + plan.target().switchName() + " with JDK "
                        + plan.jdk().feature()));
        // Refuse early, before anything is resolved or packed, so that a refusal changes nothing.
        GeneratedFiles.checkOwnership(
                List.of(
                        plan.outputs().mainJava(),
                        plan.outputs().pomXml(),
                        plan.outputs().lockFile()),
                context.cwd());
        requireWritable(plan);
        var main = config.main();
        if (main.className().equals("Main")) {
            throw new ConfigException(
                    config.fileName() + ":" + main.at().line() + ":" + main.at().col() + ": "
                            + main.kind().key()
                            + " names class Main, the name of the class Mirari generates; rename your class (e.g. App) and the key");
        }
        TlsPairStep.run(config, context.cwd()); // before resolution: a config error comes at once
        var lock = ResolveStep.lock(plan, options, context, sink);
        StorePacker.packAll(plan, sink);
        SelfSignedStep.run(config, context.cwd(), sink, java.time.Instant.now());
        var outputs = new ArrayList<GeneratedFiles.Output>();
        outputs.add(GeneratedFiles.Output.text(plan.outputs().mainJava(), MainJava.generate(config)));
        outputs.add(GeneratedFiles.Output.text(
                plan.outputs().pomXml(),
                PomXml.generate(
                        plan,
                        lock.map(l -> l.artifacts().stream()
                                        .map(LockFile.Locked::coordinate)
                                        .toList())
                                .orElse(List.of()))));
        lock.ifPresent(l -> outputs.add(
                GeneratedFiles.Output.text(plan.outputs().lockFile(), l.render(Stamp.hashComment(config.fileName())))));
        GeneratedFiles.writeAll(outputs, context.cwd(), sink);
        sink.emit(new Event.StepFinished("configure", Duration.ofNanos(System.nanoTime() - start), false));
    }
}
