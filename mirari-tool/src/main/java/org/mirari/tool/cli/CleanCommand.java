package org.mirari.tool.cli;

import java.util.concurrent.Callable;
import org.mirari.tool.pipeline.CleanStep;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code mirari clean}: removes what Mirari generated for an app, never a file of the user's. */
@Command(
        name = "clean",
        mixinStandardHelpOptions = true,
        description = {
            "Removes what Mirari generated for the app.",
            "",
            "Removes the .mirari/ directory and the files Mirari generated beside the conf: the stamped "
                    + "Main.java, pom.xml, lock file, launcher, xl config and VM images. A file with one of those names "
                    + "but without Mirari's stamp is yours: it is kept and named. Works on a broken conf too."
        })
public final class CleanCommand implements Callable<Integer> {
    @ParentCommand
    MirariCli cli;

    @Mixin
    AppOptions app;

    @Override
    public Integer call() {
        CleanStep.run(cli.context().tool(), app.location(), cli.context().sink(app.quiet()));
        return 0;
    }
}
