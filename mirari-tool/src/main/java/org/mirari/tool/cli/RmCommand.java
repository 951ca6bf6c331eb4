package org.mirari.tool.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.mirari.tool.error.ConfigException;
import org.mirari.tool.supervise.Lifecycle;
import org.mirari.tool.supervise.StateDir;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code mirari rm}: removes instances and everything they made. */
@Command(
        name = "rm",
        mixinStandardHelpOptions = true,
        description = {
            "Removes stopped instances and everything they made: the console log and the state, and what a killed "
                    + "supervisor left (the app's process, the tap its run created). Prints each name."
        })
public final class RmCommand implements Callable<Integer> {
    @ParentCommand
    MirariCli cli;

    @Option(
            names = {"-f", "--force"},
            description = "Also remove running instances (killed first).")
    boolean force;

    @Parameters(paramLabel = "NAME", arity = "1..*")
    List<String> names;

    @Override
    public Integer call() throws Exception {
        var context = cli.context();
        var lifecycle = new Lifecycle(StateDir.of(context.tool()));
        var found = InstanceArgs.of(lifecycle.state(), names);
        int code = 0;
        for (var i : found.found()) {
            try {
                lifecycle.remove(i, force);
                context.result("removed", "name", i.name());
            } catch (ConfigException e) {
                context.err().println("mirari: " + e.getMessage());
                code = 2;
            }
        }
        return Math.max(code, found.report(context));
    }
}
