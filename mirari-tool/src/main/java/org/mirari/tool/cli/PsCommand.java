package org.mirari.tool.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.mirari.tool.supervise.Lifecycle;
import org.mirari.tool.supervise.StateDir;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code mirari ps}: the detached instances, with what a killed supervisor left. */
@Command(
        name = "ps",
        mixinStandardHelpOptions = true,
        description = {
            "Lists the detached instances (mirari run -d) that run: name, app, backend, state, address, uptime and "
                    + "restarts. A state of 'lost' means the supervisor was killed; what it left is named, and "
                    + "mirari rm -f NAME removes it."
        })
public final class PsCommand implements Callable<Integer> {
    @ParentCommand
    MirariCli cli;

    @Option(
            names = {"-a", "--all"},
            description = "Also list instances that have ended (exited, crashed).")
    boolean all;

    @Override
    public Integer call() throws Exception {
        var context = cli.context();
        var rows = new Lifecycle(StateDir.of(context.tool())).list(all);
        if (context.output().json()) {
            // One array, the instances being data rather than events (documented so before --json was global).
            context.out().println(Json.array(rows.stream().map(PsCommand::json).toList()));
            return 0;
        }
        var table = new ArrayList<List<String>>();
        table.add(List.of("NAME", "APP", "BACKEND", "STATE", "ADDRESS", "UPTIME", "RESTARTS"));
        for (var r : rows) {
            table.add(List.of(
                    r.instance().name(),
                    r.instance().app(),
                    r.instance().backend(),
                    state(r),
                    r.status().address().isEmpty() ? "-" : r.status().address(),
                    r.uptime().map(PsCommand::duration).orElse("-"),
                    Integer.toString(r.status().restarts())));
        }
        print(context, table);
        for (var r : rows) {
            if (!r.left().isEmpty())
                context.err()
                        .println("mirari: " + r.instance().name() + ": its supervisor is gone and left "
                                + String.join(", ", r.left()) + "; mirari rm -f "
                                + r.instance().name() + " removes it");
            else if (!r.status().message().isEmpty()
                    && !r.live()
                    && !r.status().message().equals("stopped"))
                context.err()
                        .println("mirari: " + r.instance().name() + ": "
                                + r.status().message());
        }
        return 0;
    }

    static String state(Lifecycle.Row r) {
        return r.state()
                + r.exitCode().filter(c -> !r.live()).map(c -> " (" + c + ")").orElse("");
    }

    private static String json(Lifecycle.Row r) {
        var s = r.status();
        return Json.object(
                "name", r.instance().name(),
                "app", r.instance().app(),
                "conf", r.instance().conf(),
                "backend", r.instance().backend(),
                "state", r.state(),
                "exitCode", r.exitCode().orElse(null),
                "address", s.address().isEmpty() ? null : s.address(),
                "uptimeSeconds", r.uptime().map(Duration::toSeconds).orElse(null),
                "restarts", s.restarts(),
                "restartPolicy", r.instance().restart().toString(),
                "pid", s.appPid() > 0 && r.live() ? s.appPid() : null,
                "supervisorPid", s.supervisorPid() > 0 && r.live() ? s.supervisorPid() : null,
                "message", s.message().isEmpty() ? null : s.message(),
                "left", r.left());
    }

    static String duration(Duration d) {
        long s = d.toSeconds();
        if (s < 60) return s + "s";
        if (s < 3600) return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        if (s < 86400) return String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60);
        return String.format(Locale.ROOT, "%dd%02dh", s / 86400, s % 86400 / 3600);
    }

    private static void print(CliContext context, List<List<String>> table) {
        int[] width = new int[table.getFirst().size()];
        for (var row : table)
            for (int i = 0; i < row.size(); i++)
                width[i] = Math.max(width[i], row.get(i).length());
        for (var row : table) {
            var b = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                b.append(row.get(i));
                if (i < row.size() - 1)
                    b.append(" ".repeat(width[i] - row.get(i).length() + 2));
            }
            context.out().println(b);
        }
    }
}
