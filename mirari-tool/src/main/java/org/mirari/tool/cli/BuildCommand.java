package org.mirari.tool.cli;

import java.util.concurrent.Callable;
import org.mirari.tool.pipeline.Pipeline;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code mirari build}: configures when needed, then compiles and packages the app for its target. */
@Command(name = "build",
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
                    + "mirari run or to the launcher (mir-<name> http-port=9090)."})
public final class BuildCommand implements Callable<Integer> {
    @ParentCommand
    MirariCli cli;

    @Mixin
    AppOptions app;

    @Mixin
    TargetOptions target;

    @Override
    public Integer call() {
        return execute(cli.context(), app, target);
    }

    static int execute(CliContext context, AppOptions app, TargetOptions target) {
        var sink = context.sink(app.quiet());
        Pipeline.prepare(context.tool(), app.location(), target.requested(), target.sets(), sink).build();
        return 0;
    }
}
