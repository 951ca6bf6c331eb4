package org.mirari.tool.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.mirari.tool.config.Key;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code mirari completion bash|zsh|fish}: a completion script for the shell, made from the
 * command model itself (so a new command or option completes with no change here). Bash and zsh
 * get picocli's generator ({@link AutoComplete}; its script runs in zsh through
 * {@code bashcompinit}); fish's is written here from the same model.
 */
@Command(
        name = "completion",
        mixinStandardHelpOptions = true,
        description = {
            "Prints a shell completion script: commands, options, target switches, --set keys, conf files and "
                    + "directories.",
            "",
            "bash: source <(mirari completion bash)   (or save it in ~/.local/share/bash-completion/completions/mirari)",
            "zsh:  source <(mirari completion zsh)    (in ~/.zshrc)",
            "fish: mirari completion fish > ~/.config/fish/completions/mirari.fish"
        })
public final class CompletionCommand implements Callable<Integer> {
    @ParentCommand
    MirariCli cli;

    @Parameters(index = "0", paramLabel = "SHELL", description = "bash, zsh or fish.")
    Shell shell;

    enum Shell {
        bash,
        zsh,
        fish
    }

    /** {@code --set}'s completions: every key, as {@code KEY=} (prefix keys as {@code fs-}, {@code xl-}). */
    static final class SetKeys implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Stream.of(Key.values())
                    .map(k -> k.isPrefix() ? k.spelling() : k.spelling() + "=")
                    .iterator();
        }
    }

    @Override
    public Integer call() {
        var model = model(cli.context());
        var out = cli.context().out();
        switch (shell) {
            case bash, zsh -> out.print(AutoComplete.bash("mirari", model));
            case fish -> out.print(fish(model));
        }
        out.flush();
        return 0;
    }

    /**
     * The command line as completion sees it: the real model, with {@code FILE|DIR} typed as a
     * path (so the shells complete files and directories) and {@code --set} offering the keys.
     */
    static CommandLine model(CliContext context) {
        var cl = MirariCli.commandLine(context);
        retype(cl.getCommandSpec());
        return cl;
    }

    private static void retype(CommandSpec spec) {
        for (var p : List.copyOf(spec.positionalParameters())) {
            if (p.paramLabel().equals("FILE|DIR") || p.paramLabel().equals("DIR")) {
                spec.remove(p);
                // A new spec (a copy keeps the String type): this model only describes, it never parses.
                spec.addPositional(PositionalParamSpec.builder()
                        .index(p.index().toString())
                        .arity(p.arity().toString())
                        .paramLabel(p.paramLabel())
                        .description(p.description())
                        .type(Path.class)
                        .build());
            }
        }
        for (var o : List.copyOf(spec.options())) {
            if (o.longestName().equals("--set")) {
                spec.remove(o);
                spec.addOption(OptionSpec.builder(o)
                        .completionCandidates(new SetKeys())
                        .build());
            }
        }
        spec.subcommands().values().forEach(sub -> retype(sub.getCommandSpec()));
    }

    /** Fish: one {@code complete} line per command and option, from the model. */
    static String fish(CommandLine model) {
        var b = new StringBuilder("# fish completion for mirari (mirari completion fish)\n");
        b.append("complete -c mirari -f\n");
        var root = model.getCommandSpec();
        var names = new ArrayList<String>();
        root.subcommands().forEach((name, sub) -> {
            if (!sub.getCommandSpec().usageMessage().hidden() && !names.contains(name)) names.add(name);
        });
        for (var name : names) {
            var sub = root.subcommands().get(name).getCommandSpec();
            b.append("complete -c mirari -n '__fish_use_subcommand' -a ")
                    .append(name)
                    .append(" -d ")
                    .append(quote(first(sub.usageMessage().description())))
                    .append('\n');
        }
        for (var o : root.options()) option(b, "__fish_use_subcommand", o);
        for (var name : names) {
            var sub = root.subcommands().get(name).getCommandSpec();
            var when = "__fish_seen_subcommand_from " + name;
            for (var o : sub.options()) option(b, when, o);
            if (!sub.positionalParameters().isEmpty()
                    && sub.positionalParameters().stream().anyMatch(p -> p.type() == Path.class))
                b.append("complete -c mirari -n '").append(when).append("' -F\n");
            for (var inner : sub.subcommands().keySet())
                b.append("complete -c mirari -n '")
                        .append(when)
                        .append("' -a ")
                        .append(inner)
                        .append('\n');
        }
        return b.toString();
    }

    private static void option(StringBuilder b, String when, OptionSpec o) {
        if (o.hidden()) return;
        b.append("complete -c mirari -n '").append(when).append("'");
        for (var n : o.names()) {
            if (n.startsWith("--")) b.append(" -l ").append(n.substring(2));
            else if (n.startsWith("-") && n.length() == 2) b.append(" -s ").append(n.substring(1));
        }
        if (o.arity().max() > 0) {
            b.append(" -r");
            var candidates = new ArrayList<String>();
            if (o.completionCandidates() != null) o.completionCandidates().forEach(candidates::add);
            if (!candidates.isEmpty()) b.append(" -a ").append(quote(String.join(" ", candidates)));
        }
        b.append(" -d ").append(quote(first(o.description()))).append('\n');
    }

    private static String first(String[] description) {
        if (description.length == 0) return "";
        var d = description[0];
        int dot = d.indexOf(". ");
        return dot > 0 ? d.substring(0, dot + 1) : d;
    }

    /** A fish single-quoted string (backslash and quote escaped). */
    private static String quote(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
