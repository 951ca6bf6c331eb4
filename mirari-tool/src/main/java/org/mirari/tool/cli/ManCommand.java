package org.mirari.tool.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.mirari.tool.error.BackendException;
import org.mirari.tool.error.ConfigException;
import org.mirari.tool.hosttool.HostTool;
import org.mirari.tool.hosttool.HostTools;
import org.mirari.tool.hosttool.Orphans;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code mirari man [COMMAND...]}: a command's man page, shown by {@code man -l}. The pages are
 * made when the tool is built (module mirari-man) into {@code share/man/man1} of the checkout, so
 * {@code man mirari-run} also works for anyone with the checkout's {@code bin} on {@code PATH}
 * (man-db searches {@code bin/../share/man}).
 */
@Command(
        name = "man",
        mixinStandardHelpOptions = true,
        description = {
            "Shows the man page of mirari or of one of its commands (mirari man deploy ec2), with man -l.",
            "",
            "The pages are built with the tool, into share/man/man1 of the checkout: with its bin directory on "
                    + "PATH, man mirari-run finds them too. With --json: the page's path, as a 'man' event."
        })
public final class ManCommand implements Callable<Integer> {
    @ParentCommand
    MirariCli cli;

    @Parameters(arity = "0..*", paramLabel = "COMMAND", description = "The command (default: mirari itself).")
    List<String> command = List.of();

    @Override
    public Integer call() throws Exception {
        var context = cli.context();
        var page = page(context.home(), cli.spec, command);
        if (context.output().json()) {
            context.result("man", "page", page.toString());
            return 0;
        }
        var man = HostTools.onPath(context.env().get("PATH"))
                .require(
                        HostTool.MAN,
                        "mirari man needs it to show " + page,
                        "or read the page with: groff -man -Tutf8 " + page);
        // A child as every other: it dies with the tool (hosttool.Orphans).
        int code = Orphans.start(new ProcessBuilder(man.toString(), "-l", page.toString()).inheritIO())
                .waitFor();
        if (code != 0) throw new BackendException(man + " -l " + page + " failed (exit " + code + ")");
        return 0;
    }

    /**
     * The page of {@code words} ({@code [deploy, ec2]} is {@code mirari-deploy-ec2.1}), after checking
     * that they name a command.
     *
     * @throws ConfigException (exit 2) for a word that is no command, with the ones there are
     * @throws BackendException (exit 5) when the checkout's pages were never built
     */
    static Path page(Path home, CommandSpec root, List<String> words) {
        var spec = root;
        var name = new StringBuilder("mirari");
        for (var w : words) {
            var sub = spec.subcommands().get(w);
            if (sub == null || sub.getCommandSpec().usageMessage().hidden())
                throw new ConfigException(spec.qualifiedName() + " " + w + " is not a command; "
                        + (commands(spec).isEmpty()
                                ? spec.qualifiedName() + " has none"
                                : "the commands of " + spec.qualifiedName() + ": "
                                        + String.join(", ", commands(spec))));
            spec = sub.getCommandSpec();
            name.append('-').append(w);
        }
        var dir = home.resolve("share/man/man1");
        var page = dir.resolve(name + ".1");
        if (!Files.isRegularFile(page))
            throw new BackendException("no man page " + page + ": the pages are made when the tool is built (module"
                    + " mirari-man); build them: (cd " + home + " && ./mvnw -q install -Dmaven.test.skip=true)");
        return page;
    }

    private static List<String> commands(CommandSpec spec) {
        var names = new ArrayList<String>();
        for (var e : spec.subcommands().entrySet()) {
            CommandLine sub = e.getValue();
            if (!sub.getCommandSpec().usageMessage().hidden() && !names.contains(e.getKey())) names.add(e.getKey());
        }
        return names;
    }
}
