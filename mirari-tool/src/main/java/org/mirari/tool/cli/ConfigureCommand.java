package org.mirari.tool.cli;

import java.util.concurrent.Callable;
import org.mirari.tool.pipeline.ConfigureStep;
import org.mirari.tool.pipeline.DryRun;
import org.mirari.tool.pipeline.Pipeline;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code mirari configure}: reads the conf, generates Main.java and pom.xml, resolves packages. */
@Command(
        name = "configure",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Checks the app's conf and generates what the build needs.",
            "",
            "Reads the conf, reports every problem in it at once, then generates Main.java and pom.xml "
                    + "beside it (stamped; never over a file of yours), packs each fs-* directory into a KV store "
                    + "under .mirari/kv, resolves the packages from Maven repositories and locks them with their "
                    + "SHA-256 in the lock file. Nothing is changed when it fails."
        })
public final class ConfigureCommand implements Callable<Integer> {
    @ParentCommand
    MirariCli cli;

    @Mixin
    AppOptions app;

    @Mixin
    TargetOptions target;

    @Option(
            names = "--no-install",
            description = "Do not resolve packages now (a later build fails clearly if one is missing).")
    boolean noInstall;

    @Option(names = "--offline", description = "Resolve from the local Maven repository only.")
    boolean offline;

    @Option(names = "--dry-run", description = "Print the files configure would write; write nothing.")
    boolean dryRun;

    @Override
    public Integer call() {
        var context = cli.context().tool();
        var sink = cli.context().sink(app.quiet());
        var plan = Pipeline.plan(context, app.location(), target.requested(), target.sets(), sink);
        if (dryRun) {
            DryRun.configure(plan).forEach(l -> cli.context().result("dry-run", "line", l));
            return 0;
        }
        ConfigureStep.run(plan, new ConfigureStep.Options(noInstall, offline), context, sink);
        return 0;
    }
}
