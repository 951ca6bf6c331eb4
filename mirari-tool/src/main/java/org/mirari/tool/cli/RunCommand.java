package org.mirari.tool.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.mirari.tool.backend.PortForward;
import org.mirari.tool.backend.RunOptions;
import org.mirari.tool.pipeline.DryRun;
import org.mirari.tool.pipeline.Pipeline;
import org.mirari.tool.run.Foreground;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code mirari run}: builds when stale, starts the app, shows its console, ends with its exit code. */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Runs the app on its target, building it first when anything changed.",
            "",
            "With --socket (the default) the app is a JVM process on this machine's sockets. Its console is "
                    + "streamed; when it is ready, its URL is shown. Ctrl-C or SIGTERM stops it (and anything it "
                    + "started); mirari exits with the app's exit code (130 when interrupted).",
            "",
            "Boot-time keys need no rebuild: mirari run --set http-port=9090. A port that is in use, or "
                    + "privileged without the right, fails at once (exit 5) with the fix."
        })
public final class RunCommand implements Callable<Integer> {
    @ParentCommand
    MirariCli cli;

    @Mixin
    AppOptions app;

    @Mixin
    TargetOptions target;

    @Option(
            names = "--no-aot-cache",
            description = "Do not use (or write) the JEP 514 AOT cache that makes later starts faster.")
    boolean noAotCache;

    @Option(
            names = {"-p", "--publish"},
            paramLabel = "[ADDR:]HOST:GUEST",
            description = "--qemu: forward a host TCP port to the guest (repeatable; host port 0 picks a free one). "
                    + "Default: the app's http-port on 127.0.0.1, or a free port when that one is taken.")
    List<String> publish = new ArrayList<>();

    @Option(
            names = "--snapshot",
            paramLabel = "MODE",
            description =
                    "--qemu: auto (default: restore the VM from a snapshot taken the first time the app listened), "
                            + "off (boot cold), refresh (boot cold and take a new snapshot). Wins over the conf's snapshot key.")
    String snapshot;

    @Option(
            names = "--dry-run",
            description = "Print the files the run would write and the commands it would run; write nothing.")
    boolean dryRun;

    @Option(
            names = "--tap",
            paramLabel = "NAME",
            description =
                    "--unix: the tap device to create (removed on exit) or reuse (default: " + RunOptions.DEFAULT_TAP
                            + "). " + "--qemu: attach the guest's NIC to this existing tap instead of user networking.")
    String tap;

    @Option(
            names = "--host-address",
            paramLabel = "ADDRESS/PREFIX",
            description =
                    "--unix: the host side's address on the tap (default: the app's gateway, or 10.0.0.1/24 with DHCP).")
    String hostAddress;

    @Option(
            names = {"-d", "--detach"},
            description = "Run in the background under a supervisor; return once the app is ready (or failed) and "
                    + "print the instance's name (see mirari ps, logs, stop, rm).")
    boolean detach;

    @Option(
            names = "--name",
            paramLabel = "NAME",
            description = "With -d: the instance's name (unique; default: the app's name, or NAME-2, NAME-3...).")
    String name;

    @Option(
            names = "--restart",
            paramLabel = "POLICY",
            description = "With -d: no (default), on-failure[:N] or always; exponential backoff, and after N quick "
                    + "failures in a row (5 by default) the instance is crashed. Without it, xl-on_crash: restart "
                    + "means on-failure on --socket and --unix.")
    String restart;

    @Override
    public Integer call() throws Exception {
        if (detach && !dryRun) return DetachedRun.start(this, cli.context());
        if (name != null || restart != null)
            throw new org.mirari.tool.error.ConfigException(
                    "--name and --restart go with -d (a detached run): mirari run -d --name NAME ...");
        return execute(cli.context(), app, target, options(), dryRun, null);
    }

    RunOptions options() {
        var forwards = publish.stream().map(PortForward::parse).toList();
        Optional<org.mirari.tool.config.SnapshotMode> mode = Optional.empty();
        if (snapshot != null)
            mode = Optional.of(org.mirari.tool.config.SnapshotMode.parse(snapshot)
                    .orElseThrow(() -> new org.mirari.tool.error.ConfigException(
                            "--snapshot \"" + snapshot + "\" is not a mode; use --snapshot=auto, off or refresh")));
        return new RunOptions(
                !noAotCache,
                tap == null ? RunOptions.DEFAULT_TAP : tap,
                Optional.ofNullable(hostAddress),
                forwards,
                Optional.ofNullable(tap),
                mode);
    }

    /** The options again as arguments, for the supervisor of a detached run (it parses them as this command). */
    List<String> arguments(java.nio.file.Path cwd) {
        var args = new ArrayList<String>();
        target.requested().ifPresent(t -> args.add("--" + t.switchName()));
        target.sets().forEach(s -> {
            args.add("--set");
            args.add(s);
        });
        if (noAotCache) args.add("--no-aot-cache");
        publish.forEach(p -> {
            args.add("--publish");
            args.add(p);
        });
        if (tap != null) args.addAll(List.of("--tap", tap));
        if (hostAddress != null) args.addAll(List.of("--host-address", hostAddress));
        if (snapshot != null) args.add("--snapshot=" + snapshot);
        args.add(cwd.resolve(app.location() == null ? "." : app.location())
                .normalize()
                .toString());
        return args;
    }

    /**
     * The command, also reached without picocli for everyday command lines ({@link FastPath}).
     *
     * @param args the command line as given, to record for {@link QuickRun} (null: do not record)
     */
    static int execute(
            CliContext context, AppOptions app, TargetOptions target, RunOptions options, boolean dryRun, String[] args)
            throws Exception {
        var sink = context.sink(app.quiet());
        var pipeline = Pipeline.prepare(context.tool(), app.location(), target.requested(), target.sets(), sink);
        if (dryRun) {
            DryRun.build(pipeline).forEach(l -> context.result("dry-run", "line", l));
            DryRun.run(pipeline, options).forEach(l -> context.result("dry-run", "line", l));
            return 0;
        }
        var build = pipeline.build();
        var spec = pipeline.backend().launch(build, pipeline.boot(), options);
        Foreground.BeforeStart record = args == null
                ? Foreground.BeforeStart.NOTHING
                : p -> QuickRun.record(args, app.quiet(), context, pipeline, build, p);
        return Foreground.run(
                spec,
                build.name(),
                build.name() + " (--" + pipeline.plan().target().switchName() + ")",
                sink,
                pipeline.host(),
                record);
    }
}
