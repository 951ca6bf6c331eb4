package org.mirari.tool.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.mirari.tool.codegen.GeneratedFiles;
import org.mirari.tool.codegen.MainJava;
import org.mirari.tool.codegen.PomXml;
import org.mirari.tool.codegen.Stamp;
import org.mirari.tool.codegen.StorePacker;
import org.mirari.tool.config.Located;
import org.mirari.tool.error.ConfigException;
import org.mirari.tool.plan.ToolVersion;
import org.mirari.tool.resolve.Dependencies;
import org.mirari.tool.resolve.LockFile;
import org.mirari.tool.resolve.ResolverSettings;
import java.util.concurrent.Callable;
import org.mirari.tool.config.Config;
import org.mirari.tool.config.ConfigLocator;
import org.mirari.tool.event.Event;
import org.mirari.tool.event.EventSink;
import org.mirari.tool.plan.Plan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code mirari configure}: reads the conf, generates Main.java and pom.xml, resolves packages. */
@Command(name = "configure",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Checks the app's conf and generates what the build needs.",
            "",
            "Reads the conf, reports every problem in it at once, then generates Main.java and pom.xml "
                    + "beside it (stamped; never over a file of yours), packs each fs-* directory into a KV store "
                    + "under .mirari/kv, resolves the packages from Maven repositories and locks them with their "
                    + "SHA-256 in the lock file. Nothing is changed when it fails."})
public final class ConfigureCommand implements Callable<Integer> {
    @ParentCommand
    MirariCli cli;

    @Mixin
    AppOptions app;

    @Mixin
    TargetOptions target;

    @Option(names = "--no-install", description = "Do not resolve packages now (a later build fails clearly if one is missing).")
    boolean noInstall;

    @Option(names = "--offline", description = "Resolve from the local Maven repository only.")
    boolean offline;

    @Override
    public Integer call() {
        var context = cli.context();
        var sink = context.sink(app.quiet());
        var plan = plan(context, app, target, sink);
        configure(plan, new Options(noInstall, offline), context, sink);
        return 0;
    }

    /** How configure resolves dependencies. */
    public record Options(boolean noInstall, boolean offline) {}

    /** Locates and parses the conf, reports its warnings, and plans for the requested target. */
    public static Plan plan(CliContext context, AppOptions app, TargetOptions target, EventSink sink) {
        var located = ConfigLocator.locate(app.location(), context.cwd());
        Config config = located.parser().parseFile(target.sets());
        config.warnings().forEach(w -> sink.emit(new Event.Warning(w)));
        var plan = Plan.of(config, target.requested(), context.env());
        plan.targetNote().ifPresent(n -> sink.emit(new Event.Info(n)));
        return plan;
    }

    /** The configure step, also what {@code build} and {@code run} call when the app is not configured. */
    public static void configure(Plan plan, Options options, CliContext context, EventSink sink) {
        long start = System.nanoTime();
        var config = plan.config();
        sink.emit(new Event.StepStarted("configure", config.fileName() + " for " + plan.target().switchName()
                + " with JDK " + plan.jdk().feature()));
        // Refuse early, before anything is resolved or packed, so that a refusal changes nothing.
        GeneratedFiles.checkOwnership(List.of(plan.mainJava(), plan.pomXml(), plan.lockFile()), context.cwd());
        var main = config.main();
        if (main.className().equals("Main")) {
            throw new ConfigException(config.fileName() + ":" + main.at().line() + ":" + main.at().col() + ": " + main.kind().key()
                    + " names class Main, the name of the class Mirari generates; rename your class (e.g. App) and the key");
        }
        Optional<LockFile> lock;
        if (options.noInstall()) {
            lock = LockFile.read(plan.lockFile()).filter(l -> l.packages().equals(config.packages().stream().map(Located::value).toList()));
            if (!config.packages().isEmpty()) {
                sink.emit(new Event.Info("--no-install: packages not resolved; the build uses what the local repository has"));
            }
        } else {
            var settings = ResolverSettings.load(context.env()).withOffline(options.offline());
            lock = Optional.of(Dependencies.forConfigure(plan, settings, context.home(), ToolVersion.current(), sink).lock());
        }
        StorePacker.packAll(plan, sink);
        var outputs = new ArrayList<GeneratedFiles.Output>();
        outputs.add(GeneratedFiles.Output.text(plan.mainJava(), MainJava.generate(config)));
        outputs.add(GeneratedFiles.Output.text(plan.pomXml(), PomXml.generate(plan,
                lock.map(l -> l.artifacts().stream().map(LockFile.Locked::coordinate).toList()).orElse(List.of()))));
        lock.ifPresent(l -> outputs.add(GeneratedFiles.Output.text(plan.lockFile(), l.render(Stamp.hashComment(config.fileName())))));
        GeneratedFiles.writeAll(outputs, context.cwd(), sink);
        sink.emit(new Event.StepFinished("configure", Duration.ofNanos(System.nanoTime() - start), false));
    }
}
