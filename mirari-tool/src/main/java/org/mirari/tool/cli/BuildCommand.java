package org.mirari.tool.cli;

import java.util.concurrent.Callable;
import org.mirari.tool.pipeline.DryRun;
import org.mirari.tool.pipeline.Pipeline;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code mirari build}: configures when needed, then compiles and packages the app for its target. */
@Command(
        name = "build",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Builds the app for its target.",
            "",
            "Runs configure first when its outputs are missing or the conf changed. With --socket (the default): "
                    + "compiles the app's sources (*.java beside the conf and under src/main/java) and the generated "
                    + "Main.java in-process, packages .mirari/socket/<name>.jar with its dependencies in "
                    + ".mirari/socket/lib/, and writes the launcher mir-<name> beside the conf. When no input "
                    + "changed (content hashes), it does nothing and says so.",
            "",
            "Boot-time keys (http-port, http-address, ip-*) given with --set need no rebuild: pass them to "
                    + "mirari run or to the launcher (mir-<name> http-port=9090)."
        })
public final class BuildCommand implements Callable<Integer> {
    @ParentCommand
    MirariCli cli;

    @Mixin
    AppOptions app;

    @Mixin
    TargetOptions target;

    @Option(names = "--dry-run", description = "Print the files the build would write; write nothing.")
    boolean dryRun;

    @Override
    public Integer call() {
        return execute(cli.context(), app, target, dryRun);
    }

    static int execute(CliContext context, AppOptions app, TargetOptions target, boolean dryRun) {
        var sink = context.sink(app.quiet());
        var pipeline = Pipeline.prepare(context.tool(), app.location(), target.requested(), target.sets(), sink);
        if (dryRun) DryRun.build(pipeline).forEach(l -> context.result("dry-run", "line", l));
        else pipeline.build();
        return 0;
    }
}
