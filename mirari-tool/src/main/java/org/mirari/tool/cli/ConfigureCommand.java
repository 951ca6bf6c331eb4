package org.mirari.tool.cli;

import java.time.Duration;
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
            "Reads <name>.conf, reports every problem in it at once, then generates Main.java and pom.xml "
                    + "beside the conf (stamped; never over a file of yours), packs each fs-* directory into "
                    + ".mirari/kv/<store>.kv, and resolves packages from Maven repositories into <name>.lock. "
                    + "Nothing is changed when it fails."})
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
        sink.emit(new Event.StepStarted("configure", plan.config().fileName() + " for " + plan.target().switchName()
                + " with JDK " + plan.jdk().feature()));
        sink.emit(new Event.StepFinished("configure", Duration.ofNanos(System.nanoTime() - start), false));
    }
}
