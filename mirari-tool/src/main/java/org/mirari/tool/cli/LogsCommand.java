package org.mirari.tool.cli;

import java.util.concurrent.Callable;
import org.mirari.tool.supervise.ConsoleLog;
import org.mirari.tool.supervise.Lifecycle;
import org.mirari.tool.supervise.StateDir;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code mirari logs}: the console of a detached instance, from its bounded, rotated log. */
@Command(
        name = "logs",
        mixinStandardHelpOptions = true,
        description = {
            "Shows the console of a detached instance (the app's output and mirari's lines about it), kept in a "
                    + "rotated file of at most 2 MiB."
        })
public final class LogsCommand implements Callable<Integer> {
    @ParentCommand
    MirariCli cli;

    @Option(
            names = {"-f", "--follow"},
            description = "Keep showing new lines until the instance ends (or Ctrl-C).")
    boolean follow;

    @Option(names = "--tail", paramLabel = "N", description = "Only the last N lines (default: all).")
    int tail = -1;

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Override
    public Integer call() throws Exception {
        var context = cli.context();
        var state = StateDir.of(context.tool());
        var instance = state.require(name);
        ConsoleLog.tail(instance.consoleLog(), tail).forEach(l -> context.result("log", "line", l));
        if (follow) {
            var lifecycle = new Lifecycle(state);
            ConsoleLog.follow(instance.consoleLog(), l -> context.result("log", "line", l), () -> lifecycle
                    .row(instance)
                    .live());
        }
        return 0;
    }
}
