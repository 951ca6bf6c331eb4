package org.mirari.tool.cli;

import java.util.concurrent.Callable;
import org.mirari.tool.error.ConfigException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code mirari clean}: removes what Mirari generated for an app, never a file of the user's. */
@Command(name = "clean",
        mixinStandardHelpOptions = true,
        description = {
            "Removes what Mirari generated for the app.",
            "",
            "Removes the generated files beside the conf (stamped Main.java, pom.xml, <name>.lock, the "
                    + "mir-<name> launcher and VM images, <name>.xl) and the .mirari/ directory. Files without "
                    + "Mirari's stamp are left alone and named."})
public final class CleanCommand implements Callable<Integer> {
    @ParentCommand
    MirariCli cli;

    @Mixin
    AppOptions app;

    @Override
    public Integer call() {
        throw new ConfigException("clean is not implemented yet");
    }
}
