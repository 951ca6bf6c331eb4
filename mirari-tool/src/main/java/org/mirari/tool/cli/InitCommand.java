package org.mirari.tool.cli;

import java.util.concurrent.Callable;
import org.mirari.tool.event.Event;
import org.mirari.tool.scaffold.Scaffold;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code mirari init}: a new app that {@code mirari run} runs at once. */
@Command(
        name = "init",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Creates a new app in DIR (default: the current directory; created when missing).",
            "",
            "Writes <name>.conf with every config key described (those the app does not set commented out, "
                    + "with their defaults), one class for the entry kind (Dispatch.java, Echo.java or Noip.java) "
                    + "and a .gitignore for what Mirari generates. Never overwrites anything: a file of the same name, "
                    + "or any *.conf already in DIR, is refused (exit 2). Then: mirari run DIR."
        })
public final class InitCommand implements Callable<Integer> {
    @ParentCommand
    MirariCli cli;

    static final class Kinds {
        @Option(names = "--http", description = "An HTTP app (main-http; the default): Mirari runs the server.")
        boolean http;

        @Option(names = "--ip", description = "An app doing its own networking (main-ip): a UDP echo on port 7007.")
        boolean ip;

        @Option(names = "--noip", description = "An app without a network (main-noip): prints a line and ends.")
        boolean noip;
    }

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Kinds kinds;

    @Option(
            names = "--name",
            paramLabel = "NAME",
            description = "The app's name, and its conf's: <NAME>.conf (default: DIR's name, lower-cased).")
    String name;

    @Option(
            names = {"-q", "--quiet"},
            description = "Print only warnings and errors.")
    boolean quiet;

    @Parameters(index = "0", arity = "0..1", paramLabel = "DIR", description = "Where to create the app.")
    String dir;

    @Override
    public Integer call() {
        var context = cli.context();
        var kind = kinds == null || kinds.http ? Scaffold.Kind.HTTP : kinds.ip ? Scaffold.Kind.IP : Scaffold.Kind.NOIP;
        var where = context.cwd().resolve(dir == null ? "." : dir).normalize();
        var scaffold = Scaffold.of(kind, name, where);
        var sink = context.sink(quiet);
        scaffold.write(context.cwd(), sink);
        var shown = dir == null ? "" : " " + dir;
        sink.emit(new Event.Info("created " + scaffold.name() + " ("
                + kind.name().toLowerCase(java.util.Locale.ROOT) + "); run it: mirari run" + shown));
        return 0;
    }
}
