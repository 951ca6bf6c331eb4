package org.mirari.tool.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A lean way into {@code build} and {@code run} for their everyday command lines
 * ({@code [--socket] [-q] [--no-color] [--set K=V]... [--no-aot-cache] [FILE|DIR]}), which skips building
 * picocli's model of every command: that costs more than the rest of a no-op build, and delays
 * every {@code mirari run}. Anything else (help, other targets, unknown options) goes to picocli,
 * which parses and reports as usual; both paths run the same command code.
 */
final class FastPath {
    private FastPath() {}

    /** A parsed everyday command line. */
    record Command(String[] args, AppOptions app, TargetOptions target, boolean noAotCache, boolean noColor) {
        int call(CliContext context) throws Exception {
            if (args[0].equals("build")) return BuildCommand.execute(context, app, target, false);
            var quick = QuickRun.tryRun(args, app.quiet(), context);
            if (quick.isPresent()) return quick.get();
            return RunCommand.execute(
                    context, app, target, new org.mirari.tool.backend.RunOptions(!noAotCache), false, args);
        }
    }

    static Optional<Command> parse(String[] args) {
        if (args.length == 0 || !(args[0].equals("build") || args[0].equals("run"))) return Optional.empty();
        var app = new AppOptions();
        var target = new TargetOptions();
        var sets = new ArrayList<String>();
        boolean noAot = false;
        boolean noColor = false;
        for (int i = 1; i < args.length; i++) {
            var a = args[i];
            switch (a) {
                case "--socket" -> target.request(org.mirari.tool.targets.Target.SOCKET);
                case "-q", "--quiet" -> app.quiet = true;
                case "--no-color" -> noColor = true;
                case "--set" -> {
                    if (i + 1 >= args.length || !args[i + 1].contains("=")) return Optional.empty();
                    sets.add(args[++i]);
                }
                case "--no-aot-cache" -> {
                    if (!args[0].equals("run")) return Optional.empty();
                    noAot = true;
                }
                default -> {
                    if (a.startsWith("--set=") && a.indexOf('=', 6) > 0) sets.add(a.substring(6));
                    else if (a.startsWith("-") || app.location != null || a.isEmpty()) return Optional.empty();
                    else app.location = a;
                }
            }
        }
        target.sets = new ArrayList<>(List.copyOf(sets));
        return Optional.of(new Command(args.clone(), app, target, noAot, noColor));
    }
}
